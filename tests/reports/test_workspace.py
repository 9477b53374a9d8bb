"""The association's workspace: its figures, the lists behind them and their scope."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.selectors import current_campaign
from reports import selectors

SJZ_FIGURES = {
    "units": 6,
    "with_plan": 2,
    "not_started": 1,
    "overdue_steps": 1,
    "units_with_overdue": 1,
    "applications": {
        "submitted": 1,
        "registered": 0,
        "returned": 0,
        "rejected": 0,
        "awaiting_inspection": 0,
        "scored": 0,
        "named": 1,
        "not_named": 0,
        "revoked": 0,
    },
    "applications_total": 2,
    "named": 1,
}


def _figures_on_page(response) -> dict:
    return response.context["statistics"]


def test_workspace_figures_match_the_units_made(world, area, client_for):
    response = client_for(world.sjz_association).get(reverse("reports:workspace"))
    assert response.status_code == 200
    assert _figures_on_page(response) == SJZ_FIGURES
    assert b'data-stat="not_started"' in response.content


def test_workspace_figures_of_tangshan_hold_only_its_units(world, area):
    figures = selectors.subtree_statistics(
        path=world.tangshan.path, campaign=current_campaign(), today=timezone.localdate()
    )
    assert (figures["units"], figures["with_plan"], figures["not_started"], figures["overdue_steps"]) == (2, 1, 1, 1)
    assert figures["applications_total"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"show": "all"}, {"planned_late", "applied", "idle", "planned", "drafting", "named"}),
        ({"show": "with-plan"}, {"planned_late", "planned"}),
        ({"show": "without-plan"}, {"applied", "idle", "drafting", "named"}),
        ({"show": "overdue"}, {"planned_late"}),
        ({"show": "not-started"}, {"idle"}),
        ({"show": "named"}, {"named"}),
        ({"show": "applied"}, {"applied", "named"}),
        ({"state": "submitted"}, {"applied"}),
        ({"state": "named"}, {"named"}),
        ({"state": "registered"}, set()),
    ],
)
def test_workspace_list_holds_the_units_its_figure_counts(world, area, client_for, query, expected):
    response = client_for(world.sjz_association).get(reverse("reports:workspace-units"), query)
    assert response.status_code == 200
    names = {getattr(area, name).pk for name in expected}
    assert {unit.pk for unit in response.context["page_obj"]} == names


def test_workspace_list_marks_only_units_behind_as_selectable(world, area, client_for):
    response = client_for(world.sjz_association).get(reverse("reports:workspace-units"))
    behind = {unit.pk for unit in response.context["page_obj"] if unit.is_behind}
    assert behind == {area.idle.pk, area.planned_late.pk}


def test_workspace_list_filters_by_name_and_sector(world, area, client_for):
    client = client_for(world.sjz_association)
    by_name = client.get(reverse("reports:workspace-units"), {"q": "纺织"})
    assert [unit.pk for unit in by_name.context["page_obj"]] == [area.planned.pk]
    by_sector = client.get(reverse("reports:workspace-units"), {"sector": "school"})
    assert [unit.pk for unit in by_sector.context["page_obj"]] == [area.planned_late.pk]


def test_workspace_list_ignores_garbage_filters(world, area, client_for):
    response = client_for(world.sjz_association).get(
        reverse("reports:workspace-units"), {"show": "zzz", "state": "draft", "page": "x"}
    )
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 6


def test_workspace_list_empty_says_what_to_do(world, client_for):
    response = client_for(world.sjz_association).get(reverse("reports:workspace-units"), {"show": "named"})
    assert b'data-testid="unit-list-empty"' in response.content


def test_workspace_of_an_association_opens_for_the_province(world, area, client_for):
    client = client_for(world.province_staff)
    response = client.get(reverse("reports:workspace-of", kwargs={"pk": world.shijiazhuang.pk}))
    assert _figures_on_page(response) == SJZ_FIGURES
    listing = client.get(reverse("reports:workspace-units-of", kwargs={"pk": world.tangshan.pk}))
    assert {unit.pk for unit in listing.context["page_obj"]} == {area.ts_late.pk, area.ts_idle.pk}


def test_workspace_of_a_unit_or_the_province_is_not_found(world, client_for):
    client = client_for(world.province_admin)
    for organisation in (world.sjz_unit, world.province):
        response = client.get(reverse("reports:workspace-of", kwargs={"pk": organisation.pk}))
        assert response.status_code == 404


def test_workspace_chooser_lists_the_associations_for_the_province(world, client_for):
    response = client_for(world.province_staff).get(reverse("reports:workspace"))
    assert [a.pk for a in response.context["page_obj"]] == [world.shijiazhuang.pk, world.changan.pk, world.tangshan.pk]


def test_workspace_of_another_area_is_refused_to_an_association(world, client_for):
    client = client_for(world.sjz_association)
    assert client.get(reverse("reports:workspace-of", kwargs={"pk": world.tangshan.pk})).status_code == 403
    assert client.get(reverse("reports:workspace-units-of", kwargs={"pk": world.tangshan.pk})).status_code == 403


def test_workspace_of_a_county_association_counts_its_own_subtree(world, area, client_for):
    from core.roles import Role
    from tests.factories import make_user

    county = make_user(role=Role.ASSOCIATION, organisation=world.changan)
    response = client_for(county).get(reverse("reports:workspace-units"))
    assert {unit.pk for unit in response.context["page_obj"]} == {
        area.planned_late.pk,
        area.applied.pk,
        area.planned.pk,
        area.drafting.pk,
        area.named.pk,
    }


def test_workspace_is_closed_to_units_and_inspectors(world, client_for):
    for user in (world.sjz_operator, world.inspector):
        assert client_for(user).get(reverse("reports:workspace")).status_code == 403
