"""The association reminds the units that are behind: a confirmation, then one
notification per operator, one audit record per unit, at most once per unit and day."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from campaigns.selectors import current_campaign
from notifications.models import Notification
from reports import services
from reports.models import UnitReminder

REMIND = reverse("reports:remind")


def _operators(unit):
    return list(unit.users.all())


def test_remind_first_asks_for_confirmation_and_changes_nothing(world, area, client_for):
    response = client_for(world.sjz_association).post(REMIND, {"units": [area.idle.pk, area.planned_late.pk]})
    assert response.status_code == 200
    assert [unit.pk for unit in response.context["offered"]] == sorted([area.idle.pk, area.planned_late.pk])
    assert UnitReminder.objects.count() == 0
    assert Notification.objects.filter(kind="reports.unit_reminded").count() == 0


def test_remind_confirmed_notifies_the_operators_and_audits(
    world, area, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.sjz_association)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REMIND, {"units": [area.idle.pk, area.planned_late.pk], "confirm": "1", "message": "请尽快制定计划"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:workspace-units")
    notified = Notification.objects.filter(kind="reports.unit_reminded")
    assert {n.recipient_id for n in notified} == {u.pk for u in _operators(area.idle) + _operators(area.planned_late)}
    assert {n.body for n in notified} == {"请尽快制定计划"}
    assert {n.url for n in notified} == {reverse("plans:mine")}
    audited = AuditRecord.objects.filter(action="reports.unit_remind")
    assert sorted(int(record.object_id) for record in audited) == sorted([area.idle.pk, area.planned_late.pk])
    assert {record.actor_id for record in audited} == {world.sjz_association.pk}
    # The idle unit's operator has an address; the world's operator has none.
    assert [message.to for message in mail.outbox] == [[f"{area.idle.pk}@example.cn"]]


def test_remind_twice_a_day_skips_and_says_so(world, area, client_for):
    client = client_for(world.sjz_association)
    client.post(REMIND, {"units": [area.idle.pk], "confirm": "1"}, follow=True)
    response = client.post(REMIND, {"units": [area.idle.pk, area.planned_late.pk], "confirm": "1"}, follow=True)
    levels = sorted(message.level_tag for message in response.context["messages"])
    assert levels == ["success", "warning"]
    assert UnitReminder.objects.filter(unit=area.idle).count() == 1
    assert Notification.objects.filter(kind="reports.unit_reminded", recipient__organisation=area.idle).count() == 1
    assert AuditRecord.objects.filter(action="reports.unit_remind").count() == 2


def test_remind_again_on_the_next_day(world, area):
    campaign = current_campaign()
    today = timezone.localdate()
    first, _ = services.remind_units(actor=world.sjz_association, units=[area.idle], campaign=campaign, today=today)
    again, skipped = services.remind_units(
        actor=world.sjz_association, units=[area.idle], campaign=campaign, today=today + datetime.timedelta(days=1)
    )
    assert (len(first), len(again), skipped) == (1, 1, [])


def test_remind_leaves_out_units_of_another_area_and_units_not_behind(world, area, client_for):
    client = client_for(world.sjz_association)
    picks = [area.ts_idle.pk, area.ts_late.pk, area.planned.pk, area.applied.pk, area.idle.pk, "x", "-1"]
    response = client.post(REMIND, {"units": picks})
    assert [unit.pk for unit in response.context["offered"]] == [area.idle.pk]
    client.post(REMIND, {"units": picks, "confirm": "1"})
    assert list(UnitReminder.objects.values_list("unit_id", flat=True)) == [area.idle.pk]


def test_remind_with_nothing_behind_chosen_changes_nothing(world, area, client_for):
    response = client_for(world.sjz_association).post(REMIND, {"units": [area.ts_idle.pk], "confirm": "1"})
    assert response.status_code == 302
    assert UnitReminder.objects.count() == 0
    assert AuditRecord.objects.filter(action="reports.unit_remind").count() == 0


def test_remind_with_a_too_long_message_is_refused_next_to_the_field(world, area, client_for):
    response = client_for(world.sjz_association).post(
        REMIND, {"units": [area.idle.pk], "confirm": "1", "message": "长" * 501}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["message"]
    assert UnitReminder.objects.count() == 0


def test_remind_is_for_associations_only(world, area, client_for):
    for user in (world.province_staff, world.sjz_operator):
        assert client_for(user).post(REMIND, {"units": [area.idle.pk], "confirm": "1"}).status_code == 403
    assert UnitReminder.objects.count() == 0


def test_remind_list_shows_units_reminded_today(world, area, client_for):
    client = client_for(world.sjz_association)
    client.post(REMIND, {"units": [area.idle.pk], "confirm": "1"})
    response = client.get(reverse("reports:workspace-units"), {"show": "not-started"})
    assert [unit.reminded_today for unit in response.context["page_obj"]] == [True]
