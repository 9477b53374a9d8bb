"""A progress report's life: draft, submit (statistics frozen), read-only, comment; late
detection; and what each side may see."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from campaigns.selectors import current_campaign
from core.roles import Role
from notifications.models import Notification
from reports import selectors, services
from reports.models import Frequency, ProgressReport, ReportComment, ReportState
from tests.factories import make_organisation, make_user
from tests.reports.factories import current_period, make_report, set_schedule


def _write_url(period=None):
    campaign, current = current_period()
    return reverse("reports:report-write", kwargs={"campaign_pk": campaign.pk, "period": (period or current).key})


def test_report_draft_saved_with_live_statistics(world, area, client_for):
    response = client_for(world.sjz_association).post(
        _write_url(), {"narrative": "走访了十个单位。", "practices": "建立心理驿站。", "problems": ""}
    )
    report = ProgressReport.objects.get()
    assert response["Location"] == reverse("reports:report-detail", kwargs={"pk": report.pk})
    assert (report.state, report.association_id, report.narrative) == (
        "draft",
        world.shijiazhuang.pk,
        "走访了十个单位。",
    )
    assert report.statistics["units"] == 6
    assert AuditRecord.objects.filter(action="reports.report_create", object_id=str(report.pk)).count() == 1


def test_report_without_narrative_is_refused_and_nothing_saved(world, client_for):
    response = client_for(world.sjz_association).post(_write_url(), {"narrative": "  ", "practices": "x"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["narrative"]
    assert ProgressReport.objects.count() == 0


def test_report_for_a_period_that_does_not_exist_is_not_found(world, client_for):
    campaign = current_campaign()
    client = client_for(world.sjz_association)
    for key in ("2099-01-01", "2026-11-02", "garbage"):
        url = reverse("reports:report-write", kwargs={"campaign_pk": campaign.pk, "period": key})
        assert client.get(url).status_code == 404


def test_report_submit_freezes_the_statistics_and_notifies_the_province(world, area, client_for):
    report = make_report(world)
    client = client_for(world.sjz_association)
    assert client.get(reverse("reports:report-submit", kwargs={"pk": report.pk})).status_code == 200
    client.post(reverse("reports:report-submit", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    frozen = selectors.subtree_statistics(
        path=world.shijiazhuang.path, campaign=current_campaign(), today=timezone.localdate()
    )
    assert (report.state, report.submitted_by_id, report.statistics_as_of) == (
        "submitted",
        world.sjz_association.pk,
        timezone.localdate(),
    )
    assert report.statistics == frozen
    assert report.statistics["not_started"] == 1
    notified = Notification.objects.filter(kind="reports.report_submitted")
    assert {n.recipient_id for n in notified} == {world.province_admin.pk, world.province_staff.pk}
    record = AuditRecord.objects.get(action="reports.report_submit")
    assert (record.from_state, record.to_state, record.object_id) == ("draft", "submitted", str(report.pk))

    # The area moves on; the submitted report keeps its numbers.
    make_organisation(name="新单位", parent=world.shijiazhuang)
    report.refresh_from_db()
    assert report.statistics == frozen
    response = client.get(reverse("reports:report-detail", kwargs={"pk": report.pk}))
    assert {key: value for key, _label, value in response.context["statistic_rows"]}["not_started"] == 1


def test_report_submitted_is_read_only(world, client_for):
    report = make_report(world, submit=True)
    client = client_for(world.sjz_association)
    response = client.post(_write_url(), {"narrative": "改写"})
    assert response["Location"] == reverse("reports:report-detail", kwargs={"pk": report.pk})
    report.refresh_from_db()
    assert report.narrative == "本月指导基层单位制定计划。"
    campaign, period = current_period()
    with pytest.raises(ValidationError):
        services.save_report(actor=world.sjz_association, campaign=campaign, period=period, narrative="改写")
    with pytest.raises(ValidationError):
        services.submit_report(actor=world.sjz_association, report=report)
    assert AuditRecord.objects.filter(action="reports.report_submit").count() == 1


def test_report_comment_notifies_the_association(world, client_for):
    report = make_report(world, submit=True)
    response = client_for(world.province_staff).post(
        reverse("reports:report-comment", kwargs={"pk": report.pk}), {"text": "请补充典型案例。"}
    )
    assert response.status_code == 302
    assert list(ReportComment.objects.values_list("text", "author_id")) == [
        ("请补充典型案例。", world.province_staff.pk)
    ]
    notified = Notification.objects.filter(kind="reports.report_commented")
    assert [(n.recipient_id, n.body) for n in notified] == [(world.sjz_association.pk, "请补充典型案例。")]
    assert AuditRecord.objects.filter(action="reports.report_comment").count() == 1
    page = client_for(world.sjz_association).get(reverse("reports:report-detail", kwargs={"pk": report.pk}))
    assert [c.text for c in page.context["comments"]] == ["请补充典型案例。"]


def test_report_comment_empty_is_refused_next_to_the_field(world, client_for):
    report = make_report(world, submit=True)
    response = client_for(world.province_staff).post(
        reverse("reports:report-comment", kwargs={"pk": report.pk}), {"text": "   "}
    )
    assert response.status_code == 200
    assert list(response.context["comment_form"].errors) == ["text"]
    assert ReportComment.objects.count() == 0


def test_report_draft_is_invisible_to_the_province(world, client_for):
    report = make_report(world)
    client = client_for(world.province_staff)
    assert client.get(reverse("reports:report-detail", kwargs={"pk": report.pk})).status_code == 404
    assert client.post(reverse("reports:report-comment", kwargs={"pk": report.pk}), {"text": "x"}).status_code == 404


def test_report_of_another_association_is_not_found(world, client_for):
    report = make_report(world, submit=True)
    client = client_for(world.ts_association)
    for name in ("reports:report-detail", "reports:report-submit"):
        assert client.get(reverse(name, kwargs={"pk": report.pk})).status_code == 404


def test_report_cannot_be_written_by_a_county_association(world, client_for):
    county = make_user(role=Role.ASSOCIATION, organisation=world.changan)
    client = client_for(county)
    assert client.post(_write_url(), {"narrative": "x"}).status_code == 403
    response = client.get(reverse("reports:progress"))
    assert response.context["is_reporter"] is False
    assert ProgressReport.objects.count() == 0


def test_report_late_detection_on_a_fixed_date(world, department):
    campaign = current_campaign()
    set_schedule(campaign, starts_on=datetime.date(2026, 9, 1), frequency=Frequency.MONTHLY, grace_days=10)
    september = selectors.period_or_404(campaign, "2026-09-01", datetime.date(2026, 11, 28))
    assert (september.end, september.due) == (datetime.date(2026, 9, 30), datetime.date(2026, 10, 10))
    make_report(world, period=september, submit=True)
    make_report(world, user=world.ts_association, period=september)  # a draft is not a report

    def late_on(day):
        return [a.pk for a in selectors.late_reporters(campaign=campaign, period=september, today=day)]

    assert late_on(datetime.date(2026, 10, 10)) == []
    assert late_on(datetime.date(2026, 10, 11)) == [world.tangshan.pk, department.pk]
    overview = selectors.period_overview(campaign, [september], datetime.date(2026, 10, 11))
    assert (overview[0]["expected"], overview[0]["submitted"], overview[0]["late"]) == (3, 1, 2)


def test_report_remind_late_notifies_their_users_and_audits(world, department, client_for, time_machine):
    # September's reports are late from 11 October (ten days' grace): a day in November.
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
    campaign = current_campaign()
    set_schedule(campaign, starts_on=datetime.date(2026, 9, 1))
    september = selectors.period_or_404(campaign, "2026-09-01", timezone.localdate())
    make_report(world, period=september, submit=True)
    department_user = make_user(role=Role.ASSOCIATION, organisation=department)
    url = reverse("reports:period-remind", kwargs={"campaign_pk": campaign.pk, "period": september.key})
    client = client_for(world.province_staff)
    confirm = client.get(url)
    assert [a.pk for a in confirm.context["late"]] == [world.tangshan.pk, department.pk]
    assert Notification.objects.filter(kind="reports.report_late").count() == 0
    client.post(url)
    notified = Notification.objects.filter(kind="reports.report_late")
    assert {n.recipient_id for n in notified} == {world.ts_association.pk, department_user.pk}
    audited = AuditRecord.objects.filter(action="reports.report_remind")
    assert sorted(int(r.object_id) for r in audited) == sorted([world.tangshan.pk, department.pk])


def test_report_period_page_shows_who_reported(world, client_for):
    campaign, period = current_period()
    report = make_report(world, submit=True)
    url = reverse("reports:period", kwargs={"campaign_pk": campaign.pk, "period": period.key})
    client = client_for(world.province_admin)
    rows = client.get(url).context["page_obj"]
    assert [(a.pk, a.report_id) for a in rows] == [(world.shijiazhuang.pk, report.pk), (world.tangshan.pk, None)]
    missing = client.get(url, {"status": "missing"}).context["page_obj"]
    assert [a.pk for a in missing] == [world.tangshan.pk]
    assert client_for(world.sjz_association).get(url).status_code == 403


def test_report_progress_list_of_an_association_holds_its_own_reports_only(world, client_for):
    mine = make_report(world)
    make_report(world, user=world.ts_association, submit=True)
    response = client_for(world.sjz_association).get(reverse("reports:progress"))
    first = response.context["page_obj"][0]
    assert (first["report"].pk, first["report"].state) == (mine.pk, ReportState.DRAFT)
    assert [row["report"] for row in response.context["page_obj"][1:]] == [None] * (
        len(response.context["page_obj"]) - 1
    )


def test_report_services_refuse_other_roles(world):
    report = make_report(world, submit=True)
    campaign, period = current_period()
    with pytest.raises(PermissionDenied):
        services.save_report(actor=world.sjz_operator, campaign=campaign, period=period, narrative="x")
    with pytest.raises(PermissionDenied):
        services.comment_on_report(actor=world.ts_association, report=report, text="x")
    with pytest.raises(PermissionDenied):
        services.remind_late_reporters(actor=world.sjz_association, campaign=campaign, period=period, today=period.due)
