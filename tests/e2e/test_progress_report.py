"""The provincial administrator sets when reporting starts; an association writes and
submits its progress report; the province reads it and comments, and the association
reads the comment."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import ProgressReport, ReportComment, ReportingSchedule
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_progress_report_written_submitted_read_and_commented(page, live_server, world):
    sign_in(page, world.province_admin)
    page.goto("/reports/progress/")
    page.get_by_test_id("no-schedule").get_by_role("link").click()
    this_month = timezone.localdate().strftime("%Y-%m")
    expect(page.locator("#id_starts_on")).to_have_value(this_month)
    page.locator("#id_frequency").select_option("quarterly")
    page.get_by_test_id("schedule-save").click()
    expect(page.locator("[data-period]")).to_have_count(1)
    assert ReportingSchedule.objects.get().starts_on == timezone.localdate().replace(day=1)

    page.context.clear_cookies()
    sign_in(page, world.sjz_association)
    page.goto("/reports/progress/")
    expect(page.locator("[data-period]")).to_have_count(1)
    page.get_by_test_id("report-write").first.click()
    expect(page.locator('[data-stat="units"]')).to_have_text("1")
    page.locator("#id_narrative").fill("本月走访了长安区的十个单位。")
    page.locator("#id_practices").fill("建立心理驿站。")
    page.get_by_test_id("report-save").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    expect(page.get_by_test_id("report")).to_have_attribute("data-state", "draft")

    page.get_by_test_id("report-submit").click()
    page.get_by_test_id("report-submit-confirm").click()
    expect(page.get_by_test_id("report")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("report-edit")).to_have_count(0)
    report = ProgressReport.objects.get()
    assert (report.state, report.statistics["units"]) == ("submitted", 1)

    page.context.clear_cookies()
    sign_in(page, world.province_staff)
    page.goto("/reports/progress/")
    page.locator(f'[data-period="{report.period_start:%Y-%m-%d}"] a').click()
    row = page.locator(f'[data-association="{world.shijiazhuang.pk}"]')
    expect(row).to_have_attribute("data-report", str(report.pk))
    row.get_by_test_id("report-read").click()
    expect(page.get_by_test_id("report-narrative")).to_have_text("本月走访了长安区的十个单位。")
    page.locator("#id_text").fill("请补充典型案例的照片。")
    page.get_by_test_id("comment-save").click()
    expect(page.get_by_test_id("report-comments")).to_contain_text("请补充典型案例的照片。")
    assert list(ReportComment.objects.values_list("report_id", "text")) == [(report.pk, "请补充典型案例的照片。")]

    page.context.clear_cookies()
    sign_in(page, world.sjz_association)
    page.goto(f"/reports/{report.pk}/")
    expect(page.get_by_test_id("report-comments")).to_contain_text("请补充典型案例的照片。")
