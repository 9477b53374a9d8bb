"""Planning an inspection through its pages: the visit, the team, changes, cancelling,
notifications, and who may see what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import State
from audit.models import AuditRecord
from inspections.models import Inspection, InspectionStatus, Scoresheet, TeamMember
from notifications.models import Notification
from tests.inspections import factories

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _post(world, client_for, application, team, **extra):
    data = {
        "visit_date": NEXT_WEEK.isoformat(),
        "place": "单位会议室",
        "notes": "",
        "leader": str(team[0].pk),
        "members": [str(i.pk) for i in team[1:]],
        **extra,
    }
    return client_for(world.province_staff).post(reverse("inspections:plan", args=[application.pk]), data)


def test_staff_plan_an_inspection_with_a_team_chosen_by_hand(world, client_for):
    application = factories.awaiting(world)
    team = factories.pool(world, 3)
    response = _post(world, client_for, application, team)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:detail", args=[inspection.pk])
    assert inspection.members.get(is_leader=True).inspector == team[0]
    assert set(inspection.members.values_list("inspector", flat=True)) == {i.pk for i in team}
    assert Scoresheet.objects.filter(inspection=inspection).count() == 3
    assert AuditRecord.objects.filter(action="inspection.plan").count() == 1


def test_the_members_are_notified_of_their_assignment(world, client_for):
    application = factories.awaiting(world)
    team = factories.pool(world, 3)
    _post(world, client_for, application, team)
    notified = set(Notification.objects.filter(kind="inspection.assigned").values_list("recipient", flat=True))
    assert notified == {i.user_id for i in team}


def test_the_plan_page_proposes_eligible_candidates_only(world, client_for):
    application = factories.awaiting(world)
    eligible = factories.pool(world, 3)
    same_city = factories.make_inspector(name="同市专家", area=world.shijiazhuang, organisation=world.province)
    response = client_for(world.province_staff).get(reverse("inspections:plan", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for inspector in eligible:
        assert f'data-candidate="{inspector.pk}"' in html
    assert f'data-candidate="{same_city.pk}"' not in html
    assert f'data-ineligible="{same_city.pk}"' in html


def test_a_team_of_the_wrong_size_is_refused_next_to_the_field(world, client_for):
    application = factories.awaiting(world)
    team = factories.pool(world, 3)
    response = _post(world, client_for, application, team[:2])
    assert response.status_code == 422
    assert "考察组须有 3 名专家（含组长），现有 2 名。" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_forged_conflicting_member_is_refused(world, client_for):
    application = factories.awaiting(world)
    team = factories.pool(world, 2)
    same_city = factories.make_inspector(name="同市专家", area=world.shijiazhuang, organisation=world.province)
    response = _post(world, client_for, application, [*team, same_city])
    assert response.status_code == 422
    assert "同市专家" in response.content.decode()
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("visit_date", "2020-01-01", "考察日期不能早于今天。"),
        ("visit_date", "不是日期", "输入一个有效的日期。"),
        ("place", "", "这个字段是必填项。"),
    ],
)
def test_bad_visit_details_are_refused_and_nothing_changes(world, client_for, field, value, message):
    application = factories.awaiting(world)
    team = factories.pool(world, 3)
    response = _post(world, client_for, application, team, **{field: value})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Inspection.objects.exists()


def test_staff_draw_the_team_from_the_page(world, client_for):
    application = factories.awaiting(world)
    pool = factories.pool(world, 5)
    response = _post(world, client_for, application, pool[:1], leader="", members=[], action="draw")
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.members.count() == 3
    assert inspection.draws.count() == 1
    detail = client_for(world.province_staff).get(reverse("inspections:detail", args=[inspection.pk]))
    assert 'data-testid="draw-replays"' in detail.content.decode()


def test_changing_the_team_notifies_who_joins_and_who_leaves(world, client_for):
    inspectors = factories.pool(world, 4)
    inspection = factories.planned(world, team=inspectors[:3])
    Notification.objects.all().delete()
    response = client_for(world.province_staff).post(
        reverse("inspections:edit", args=[inspection.pk]),
        {
            "visit_date": inspection.visit_date.isoformat(),
            "place": inspection.place,
            "leader": str(inspectors[0].pk),
            "members": [str(inspectors[1].pk), str(inspectors[3].pk)],
        },
    )
    assert response.status_code == 302
    assert set(inspection.members.values_list("inspector", flat=True)) == {
        inspectors[0].pk,
        inspectors[1].pk,
        inspectors[3].pk,
    }
    assert Notification.objects.get(kind="inspection.assigned").recipient == inspectors[3].user
    assert Notification.objects.get(kind="inspection.unassigned").recipient == inspectors[2].user
    assert not Notification.objects.filter(kind="inspection.changed").exists()


def test_moving_the_visit_notifies_the_team(world, client_for):
    inspectors = factories.pool(world, 3)
    inspection = factories.planned(world, team=inspectors)
    Notification.objects.all().delete()
    client_for(world.province_staff).post(
        reverse("inspections:edit", args=[inspection.pk]),
        {
            "visit_date": (NEXT_WEEK + datetime.timedelta(days=3)).isoformat(),
            "place": "新地点",
            "leader": str(inspectors[0].pk),
            "members": [str(i.pk) for i in inspectors[1:]],
        },
    )
    notified = set(Notification.objects.filter(kind="inspection.changed").values_list("recipient", flat=True))
    assert notified == {i.user_id for i in inspectors}


def test_the_leader_can_change_hands(world):
    inspectors = factories.pool(world, 3)
    inspection = factories.planned(world, team=inspectors)
    factories.teams.plan_inspection(
        actor=world.province_staff,
        application=inspection.application,
        inspection=inspection,
        visit_date=inspection.visit_date,
        place=inspection.place,
        leader=inspectors[2],
        members=inspectors[:2],
    )
    assert TeamMember.objects.get(inspection=inspection, is_leader=True).inspector == inspectors[2]


def test_cancelling_needs_reasons_and_notifies_the_team(world, client_for):
    inspection = factories.planned(world)
    client = client_for(world.province_staff)
    refused = client.post(reverse("inspections:cancel", args=[inspection.pk]), {"reason": " "})
    inspection.refresh_from_db()
    assert refused.status_code == 302
    assert inspection.status == InspectionStatus.PLANNED
    client.post(reverse("inspections:cancel", args=[inspection.pk]), {"reason": "单位停产整顿"})
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CANCELLED
    assert Notification.objects.filter(kind="inspection.cancelled").count() == 3
    assert AuditRecord.objects.get(action="inspection.cancel").reason == "单位停产整顿"
    # The application waits for a new team.
    assert inspection.application.state == State.AWAITING_INSPECTION
    listing = client.get(reverse("inspections:list"))
    assert f'data-application="{inspection.application_id}"' in listing.content.decode()


def test_an_application_not_awaiting_inspection_cannot_be_planned(world, client_for):
    application = factories.application_factories.registered(world)
    factories.pool(world, 3)
    response = client_for(world.province_staff).get(reverse("inspections:plan", args=[application.pk]))
    assert response.status_code == 302
    assert not Inspection.objects.exists()


def test_inspectors_see_only_their_own_inspections(world, client_for):
    inspection = factories.planned(world)
    outsider = factories.make_inspector(name="局外专家", organisation=world.province)
    client = client_for(outsider.user)
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("applications:detail", args=[inspection.application_id])).status_code == 404
    mine = client.get(reverse("inspections:mine"))
    assert f'data-inspection="{inspection.pk}"' not in mine.content.decode()
    member = client_for(world.inspector).get(reverse("inspections:mine"))
    assert f'data-inspection="{inspection.pk}"' in member.content.decode()


def test_a_removed_or_cancelled_inspector_no_longer_sees_the_application(world, client_for):
    inspection = factories.planned(world)
    client = client_for(world.inspector)
    assert client.get(reverse("applications:detail", args=[inspection.application_id])).status_code == 200
    factories.teams.cancel_inspection(actor=world.province_staff, inspection=inspection, reason="取消")
    assert client.get(reverse("applications:detail", args=[inspection.application_id])).status_code == 404
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 404


@pytest.mark.parametrize("who", ["sjz_association", "sjz_operator", "ts_association"])
def test_associations_and_units_cannot_reach_inspections(world, client_for, who):
    inspection = factories.planned(world)
    client = client_for(getattr(world, who))
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 403
    assert client.get(reverse("inspections:plan", args=[inspection.application_id])).status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_the_waiting_list_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries, rows):
    for _index in range(rows):
        operator = factories.make_user(role="unit", organisation=factories.make_organisation(parent=world.tangshan))
        factories.awaiting(world, operator=operator)
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("inspections:list"))
    assert response.content.decode().count("data-application=") == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_my_inspections_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries, rows):
    team = factories.pool(world, 3)
    for _index in range(rows):
        operator = factories.make_user(role="unit", organisation=factories.make_organisation(parent=world.tangshan))
        factories.planned(world, application=factories.awaiting(world, operator=operator), team=team)
    client = client_for(world.inspector)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("inspections:mine"))
    assert response.content.decode().count("data-inspection=") == rows


def test_the_inspector_home_page_lists_its_next_visits(world, client_for):
    inspection = factories.planned(world)
    sheet = inspection.sheets.get(inspector__user=world.inspector)
    html = client_for(world.inspector).get("/").content.decode()
    assert f'href="/inspections/sheets/{sheet.pk}/"' in html
    outsider = factories.make_inspector(name="局外专家", organisation=world.province)
    assert "/inspections/" not in client_for(outsider.user).get("/").content.decode().split("<main")[1]


def test_planning_form_refuses_a_member_number_too_large_for_the_database(world):
    # SQLite raised OverflowError on it (a 500 found by tests/core/test_fuzz_posts.py).
    from inspections.forms import InspectionForm

    form = InspectionForm(data={"visit_date": "2026-12-01", "place": "会议室", "members": ["99999999999999999999999"]})
    assert form.is_valid() is False
    assert [error.code for error in form.errors.as_data()["members"]] == ["invalid_choice"]
