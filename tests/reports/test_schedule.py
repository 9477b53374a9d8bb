"""The reporting schedule: set by the provincial administrator, from a month it chooses;
no period is due, nor late, before it."""

import datetime

from django.urls import reverse

from audit.models import AuditRecord
from campaigns.selectors import current_campaign
from reports import selectors
from reports.models import ReportingSchedule
from tests.concurrency import edit_token
from tests.reports.factories import set_schedule

URL = reverse("reports:schedule-edit")


def _spans(periods):
    return [(p.start, p.end, p.due) for p in periods]


def test_schedule_unset_asks_no_report_of_anyone(world, client_for):
    assert selectors.periods_of(current_campaign(), datetime.date(2026, 11, 20)) == []
    association = client_for(world.sjz_association).get(reverse("reports:progress"))
    assert b'data-testid="no-schedule"' in association.content
    province = client_for(world.province_admin).get(reverse("reports:progress"))
    assert b'data-testid="no-schedule"' in province.content
    assert "设置报送安排" in province.content.decode()


def test_schedule_counts_periods_from_its_start_month_only(world):
    set_schedule(starts_on=datetime.date(2026, 10, 17))
    periods = selectors.periods_of(current_campaign(), datetime.date(2026, 12, 7))
    assert _spans(periods) == [
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), datetime.date(2027, 1, 10)),
        (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), datetime.date(2026, 12, 10)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31), datetime.date(2026, 11, 10)),
    ]
    overview = selectors.period_overview(current_campaign(), periods, datetime.date(2026, 12, 7))
    assert [row["late"] for row in overview] == [0, 0, 2]


def test_schedule_quarterly_first_period_begins_at_the_start(world):
    set_schedule(starts_on=datetime.date(2026, 11, 1), frequency="quarterly", grace_days=15)
    periods = selectors.periods_of(current_campaign(), datetime.date(2027, 4, 2))
    assert _spans(periods) == [
        (datetime.date(2027, 4, 1), datetime.date(2027, 6, 30), datetime.date(2027, 7, 15)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31), datetime.date(2027, 4, 15)),
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31), datetime.date(2027, 1, 15)),
    ]


def test_schedule_half_yearly_periods_follow_the_calendar_halves(world):
    set_schedule(starts_on=datetime.date(2026, 3, 1), frequency="half_yearly", grace_days=20)
    periods = selectors.periods_of(current_campaign(), datetime.date(2027, 1, 5))
    assert _spans(periods) == [
        (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30), datetime.date(2027, 7, 20)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), datetime.date(2027, 1, 20)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 6, 30), datetime.date(2026, 7, 20)),
    ]


def test_schedule_set_by_the_administrator_defaults_to_this_month(world, client_for):
    client = client_for(world.province_admin)
    form = client.get(URL).context["form"]
    today = datetime.date.today()
    assert form["starts_on"].value() == today.replace(day=1)
    response = client.post(URL, {"starts_on": "2026-11", "frequency": "half_yearly", "grace_days": "15"})
    assert response["Location"] == reverse("reports:progress")
    schedule = ReportingSchedule.objects.get()
    assert (schedule.starts_on, schedule.frequency, schedule.grace_days) == (
        datetime.date(2026, 11, 1),
        "half_yearly",
        15,
    )
    record = AuditRecord.objects.get(action="reports.schedule_create")
    assert record.details == {"set": {"starts_on": "2026-11-01", "frequency": "half_yearly", "grace_days": "15"}}

    token = edit_token(client.get(URL))
    client.post(URL, {"starts_on": "2026-12", "frequency": "quarterly", "grace_days": "15", "edit_token": token})
    record = AuditRecord.objects.get(action="reports.schedule_update")
    assert record.details["changed"]["frequency"] == ["half_yearly", "quarterly"]
    assert record.details["changed"]["starts_on"] == ["2026-11-01", "2026-12-01"]


def test_schedule_bad_input_is_refused_and_changes_nothing(world, client_for):
    client = client_for(world.province_admin)
    good = {"starts_on": "2026-12", "frequency": "monthly", "grace_days": "10"}
    for change, field, message in (
        ({"frequency": "weekly"}, "frequency", "请选择按月、按季度或按半年"),
        ({"grace_days": "-1"}, "grace_days", None),
        ({"grace_days": "91"}, "grace_days", None),
        ({"grace_days": "十"}, "grace_days", None),
        ({"starts_on": ""}, "starts_on", "请选择报送的起始月份"),
        ({"starts_on": "十二月"}, "starts_on", "请按“年-月”填写"),
        ({"starts_on": "2013-12"}, "starts_on", "报送不能早于活动开始"),
    ):
        response = client.post(URL, {**good, **change})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
        if message:
            assert message in response.context["form"].errors[field][0]
    assert ReportingSchedule.objects.count() == 0
    assert not AuditRecord.objects.filter(action__startswith="reports.schedule_").exists()


def test_schedule_is_for_the_administrator_only(world, client_for):
    for user in (world.province_staff, world.sjz_association):
        data = {"starts_on": "2026-12", "frequency": "quarterly", "grace_days": "5"}
        assert client_for(user).post(URL, data).status_code == 403
    assert ReportingSchedule.objects.count() == 0
