"""Only the province uses the dashboard; its query count does not grow with the data."""

import pytest
from django.test import Client

from core.roles import Role
from tests.applications import factories as application_factories
from tests.dashboard import factories


@pytest.mark.parametrize(
    "role", [Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
)
def test_access_is_refused_to_roles_outside_the_province(world, client_for, role):
    client = client_for(world.user_of(role))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/export/funnel.xlsx").status_code == 403


@pytest.mark.parametrize("role", [Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF])
def test_access_is_given_to_the_province(world, client_for, role):
    response = client_for(world.user_of(role)).get("/dashboard/")
    assert response.status_code == 200
    assert b'data-testid="chart-funnel"' in response.content


def test_access_without_login_goes_to_the_login_page(world):
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


QUERIES = 20


def test_queries_are_bounded_with_one_application(world, client_for, django_assert_max_num_queries):
    application_factories.submitted(world)
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(QUERIES):
        assert client.get("/dashboard/").status_code == 200


def test_queries_are_bounded_with_many_applications(world, client_for, django_assert_max_num_queries):
    factories.build(world)
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(f"/dashboard/?area={world.shijiazhuang.pk}").status_code == 200
    # Served from the cache: the form's own reads only.
    with django_assert_max_num_queries(6):
        assert client.get(f"/dashboard/?area={world.shijiazhuang.pk}").status_code == 200
