"""Two people of one association writing its progress report, or two administrators
setting the reporting schedule, at once."""

from django.urls import reverse

from core.roles import Role
from reports.models import ProgressReport, ReportingSchedule
from tests.concurrency import assert_refused, audit_count, edit_token
from tests.factories import make_user
from tests.reports.factories import current_period

SCHEDULE_URL = reverse("reports:schedule-edit")


def _write_url():
    campaign, current = current_period()
    return reverse("reports:report-write", kwargs={"campaign_pk": campaign.pk, "period": current.key})


def test_concurrent_edits_of_a_progress_report_refuse_the_second_save(world, client_for):
    colleague = make_user(role=Role.ASSOCIATION, organisation=world.shijiazhuang, username="sjz2")
    first, second = client_for(world.sjz_association), client_for(colleague)
    url = _write_url()
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, {"narrative": "乙：走访了十个单位。", "edit_token": token_second}).status_code == 302
    before = audit_count()

    refused = first.post(url, {"narrative": "甲：召开了推进会。", "edit_token": token_first})

    assert_refused(refused, typed="甲：召开了推进会。", by=colleague.username)
    assert ProgressReport.objects.get().narrative == "乙：走访了十个单位。"
    assert audit_count() == before
    # Saved again from the refused form (after merging): it goes through.
    merged = first.post(url, {"narrative": "乙：走访了十个单位。甲：召开了推进会。", "edit_token": edit_token(refused)})
    assert merged.status_code == 302
    assert ProgressReport.objects.get().narrative == "乙：走访了十个单位。甲：召开了推进会。"


def test_concurrent_edits_of_a_progress_report_single_save_works(world, client_for):
    client = client_for(world.sjz_association)
    url = _write_url()
    token = edit_token(client.get(url))

    assert client.post(url, {"narrative": "走访了十个单位。", "edit_token": token}).status_code == 302

    assert ProgressReport.objects.get().narrative == "走访了十个单位。"


def test_concurrent_edits_of_the_reporting_schedule_refuse_the_second_save(world, client_for):
    colleague = make_user(role=Role.PROVINCE_ADMIN, organisation=world.province, username="padmin2")
    first, second = client_for(world.province_admin), client_for(colleague)
    token_first, token_second = edit_token(first.get(SCHEDULE_URL)), edit_token(second.get(SCHEDULE_URL))
    data = {"starts_on": "2026-12", "frequency": "quarterly", "grace_days": "15", "edit_token": token_second}
    assert second.post(SCHEDULE_URL, data).status_code == 302
    before = audit_count()

    refused = first.post(
        SCHEDULE_URL, {"starts_on": "2026-12", "frequency": "monthly", "grace_days": "7", "edit_token": token_first}
    )

    assert_refused(refused, typed='value="7"', by=colleague.username)
    schedule = ReportingSchedule.objects.get()
    assert (schedule.frequency, schedule.grace_days) == ("quarterly", 15)
    assert audit_count() == before


def test_concurrent_edits_of_the_reporting_schedule_single_save_works(world, client_for):
    client = client_for(world.province_admin)
    token = edit_token(client.get(SCHEDULE_URL))

    data = {"starts_on": "2026-12", "frequency": "quarterly", "grace_days": "15", "edit_token": token}
    assert client.post(SCHEDULE_URL, data).status_code == 302

    assert ReportingSchedule.objects.get().grace_days == 15
