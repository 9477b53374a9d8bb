"""The yearly review in the browser: staff open a round, the unit writes its report with a
file and submits it, the provincial administrator revokes the title with a document
number, and the site shows revoked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from applications.models import State
from designations.models import Designation, DesignationStatus, ReviewRound, YearlyReport
from tests.designations.factories import named
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.materials import factories as files

pytestmark = pytest.mark.browser


def sign_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_round_report_and_revocation(page, tmp_path):
    world = World()
    designation = named(world, issued_on=datetime.date(2025, 6, 1))
    page.on("dialog", lambda dialog: dialog.accept())
    record = tmp_path / "2026年度心理疏导工作台账.pdf"
    record.write_bytes(files.PDF)

    # Staff open a round: the site named on 2025-06-01 is asked for its report.
    sign_in(page, world.province_staff)
    page.goto(reverse("designations:review-rounds"))
    page.get_by_test_id("open-round").click()
    assert page.get_by_test_id("eligible-count").inner_text().startswith("1")
    page.get_by_test_id("create-round").click()
    review = ReviewRound.objects.get()
    page.wait_for_url(f"**{reverse('designations:review-round', kwargs={'pk': review.pk})}")
    report = YearlyReport.objects.get(round=review, designation=designation)
    assert page.locator(f"[data-report='{report.pk}']").count() == 1
    sign_out(page)

    # The unit writes, attaches a record and submits.
    sign_in(page, world.sjz_operator)
    page.goto(reverse("designations:review-mine"))
    page.locator(f"[data-testid=open-reports] [data-report='{report.pk}']").click()
    page.locator("textarea[name=text]").fill("全年开展团体心理辅导12次，个体咨询86人次。")
    with page.expect_navigation():
        page.get_by_test_id("save-report").click()
    page.get_by_test_id("file-form").locator("input[type=file]").set_input_files(str(record))
    with page.expect_navigation():
        page.get_by_test_id("upload-file").click()
    page.locator("[data-testid=report-files] [data-download]").wait_for()
    assert page.locator("[data-testid=report-files] [data-download]").inner_text() == record.name
    assert page.locator("textarea[name=text]").input_value() == "全年开展团体心理辅导12次，个体咨询86人次。"
    page.get_by_test_id("submit-report").click()
    page.locator("[data-testid=report-status][data-status=submitted]").wait_for()
    assert page.get_by_test_id("report-text").inner_text() == "全年开展团体心理辅导12次，个体咨询86人次。"
    sign_out(page)

    # The provincial administrator revokes the title.
    sign_in(page, world.province_admin)
    page.goto(reverse("designations:review-round", kwargs={"pk": review.pk}))
    page.locator(f"[data-report='{report.pk}'] a").first.click()
    page.locator("input[name=outcome][value=revoke]").check()
    page.locator("textarea[name=reason]").fill("示范作用发挥不明显，整改不到位")
    page.locator("input[name=doc_number]").fill("冀研字〔2027〕3号")
    page.get_by_test_id("decide").click()
    page.locator("[data-testid=decision][data-outcome=revoke]").wait_for()
    assert page.locator("[data-testid=report-site-status]").get_attribute("data-status") == "revoked"

    page.goto(reverse("designations:site", kwargs={"pk": designation.pk}))
    with translation.override("zh-hans"):
        revoked = pgettext("designation status", "Revoked")
    assert page.get_by_test_id("site-status").inner_text() == revoked
    designation.refresh_from_db()
    assert (designation.status, designation.revoke_doc_number) == (DesignationStatus.REVOKED, "冀研字〔2027〕3号")
    assert designation.application.state == State.REVOKED
    assert list(Designation.objects.public()) == []
