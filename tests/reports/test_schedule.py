"""The reporting schedule: edited by the provincial administrator, periods derived from it."""

import datetime

from django.urls import reverse

from audit.models import AuditRecord
from campaigns.selectors import current_campaign
from reports import selectors
from reports.models import ReportingSchedule

URL = reverse("reports:schedule-edit")


def test_schedule_defaults_to_monthly_periods(world):
    periods = selectors.periods_of(current_campaign(), datetime.date(2014, 5, 20))
    assert [(p.start, p.end, p.due) for p in periods] == [
        (datetime.date(2014, 5, 1), datetime.date(2014, 5, 31), datetime.date(2014, 6, 10)),
        (datetime.date(2014, 4, 1), datetime.date(2014, 4, 30), datetime.date(2014, 5, 10)),
        (datetime.date(2014, 3, 1), datetime.date(2014, 3, 31), datetime.date(2014, 4, 10)),
    ]


def test_schedule_set_to_quarterly_by_the_administrator(world, client_for):
    response = client_for(world.province_admin).post(URL, {"frequency": "quarterly", "grace_days": "15"})
    assert response["Location"] == reverse("reports:progress")
    schedule = ReportingSchedule.objects.get()
    assert (schedule.frequency, schedule.grace_days) == ("quarterly", 15)
    record = AuditRecord.objects.get(action="reports.schedule_update")
    assert record.details == {"changed": {"frequency": ["monthly", "quarterly"], "grace_days": ["10", "15"]}}
    periods = selectors.periods_of(current_campaign(), datetime.date(2014, 8, 1))
    assert [(p.start, p.end, p.due) for p in periods] == [
        (datetime.date(2014, 7, 1), datetime.date(2014, 9, 30), datetime.date(2014, 10, 15)),
        (datetime.date(2014, 4, 1), datetime.date(2014, 6, 30), datetime.date(2014, 7, 15)),
        (datetime.date(2014, 1, 1), datetime.date(2014, 3, 31), datetime.date(2014, 4, 15)),
    ]


def test_schedule_bad_input_is_refused_and_changes_nothing(world, client_for):
    client = client_for(world.province_admin)
    for data, field in (
        ({"frequency": "weekly", "grace_days": "10"}, "frequency"),
        ({"frequency": "monthly", "grace_days": "-1"}, "grace_days"),
        ({"frequency": "monthly", "grace_days": "91"}, "grace_days"),
        ({"frequency": "monthly", "grace_days": "十"}, "grace_days"),
    ):
        response = client.post(URL, data)
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
    assert ReportingSchedule.objects.count() == 0
    assert AuditRecord.objects.filter(action="reports.schedule_update").count() == 0


def test_schedule_is_for_the_administrator_only(world, client_for):
    for user in (world.province_staff, world.sjz_association):
        assert client_for(user).post(URL, {"frequency": "quarterly", "grace_days": "5"}).status_code == 403
    assert ReportingSchedule.objects.count() == 0
