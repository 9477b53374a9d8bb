"""Every list of the app costs the same number of queries for 1 row as for 3 or more."""

import pytest
from django.urls import reverse

from core.roles import Role
from organisations.models import Kind
from tests.factories import make_organisation, make_user
from tests.plans.factories import make_plan
from tests.reports.factories import current_period, make_report


def _units(world, count):
    for number in range(count):
        unit = make_organisation(name=f"单位{number}", parent=world.changan)
        if number % 2:
            make_plan(operator=make_user(role=Role.UNIT, organisation=unit))


def _reporters(world, count):
    reporters = []
    for number in range(count):
        department = make_organisation(name=f"省直部门{number}", kind=Kind.DEPARTMENT, parent=world.province)
        user = make_user(role=Role.ASSOCIATION, organisation=department)
        make_report(world, user=user, submit=True)
        reporters.append(department)
    return reporters


@pytest.mark.parametrize("extra", [0, 4])
def test_queries_of_the_unit_list(world, client_for, django_assert_max_num_queries, extra):
    _units(world, extra)
    client = client_for(world.sjz_association)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:workspace-units"))
    assert response.context["page_obj"].paginator.count == 1 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_queries_of_the_workspace(world, client_for, django_assert_max_num_queries, extra):
    _units(world, extra)
    client = client_for(world.sjz_association)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:workspace"))
    assert response.context["statistics"]["units"] == 1 + extra


@pytest.mark.parametrize("extra", [0, 3])
def test_queries_of_the_period_page_and_exports(world, client_for, django_assert_max_num_queries, extra):
    _reporters(world, extra)
    campaign, period = current_period()
    keys = {"campaign_pk": campaign.pk, "period": period.key}
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:period", kwargs=keys))
    assert response.context["page_obj"].paginator.count == 2 + extra
    with django_assert_max_num_queries(14):
        b"".join(client.get(reverse("reports:period-xlsx", kwargs=keys)).streaming_content)


@pytest.mark.parametrize("extra", [0, 3])
def test_queries_of_the_progress_lists(world, client_for, django_assert_max_num_queries, extra):
    _reporters(world, extra)
    make_report(world)
    province, association = client_for(world.province_admin), client_for(world.sjz_association)
    with django_assert_max_num_queries(10):
        province.get(reverse("reports:progress"))
    with django_assert_max_num_queries(10):
        association.get(reverse("reports:progress"))


@pytest.mark.parametrize("extra", [0, 3])
def test_queries_of_the_association_chooser(world, client_for, django_assert_max_num_queries, extra):
    _reporters(world, extra)
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:workspace"))
    assert response.context["page_obj"].paginator.count == 3 + extra
