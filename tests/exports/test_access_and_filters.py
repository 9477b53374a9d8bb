import pytest
from django.urls import reverse

from core.roles import Role
from jobs.models import Job
from tests.exports.helpers import export, start
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role",
    [Role.UNIT, Role.INSPECTOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
)
def test_roles_that_may_not_export_get_403(world, client_for, role):
    client = client_for(world.user_of(role))
    assert client.get(reverse("exports:home")).status_code == 403
    assert start(client).status_code == 403
    assert Job.objects.count() == 0


@pytest.mark.parametrize("user", ["province_admin", "province_staff", "sjz_association"])
def test_export_page_opens_for_province_and_associations(world, client_for, user):
    response = client_for(getattr(world, user)).get(reverse("exports:home"))
    assert response.status_code == 200
    assert 'data-testid="export-jobs-empty"' in response.content.decode()


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        ({"table": "everything"}, "table"),
        ({"campaign": "999999"}, "campaign"),
        ({"campaign": "x' OR 1=1"}, "campaign"),
        ({"sector": "factory"}, "sector"),
        ({"table": "applications", "state": "lost"}, "state"),
        ({"table": "units", "state": "submitted"}, "state"),
        ({"table": "plans", "site_status": "active"}, "site_status"),
        ({"table": "sites", "site_status": "gone"}, "site_status"),
    ],
)
def test_bad_filters_are_refused_next_to_the_field_and_start_no_job(world, client_for, choice, field):
    response = start(client_for(world.province_staff), **choice)
    assert response.status_code == 400
    assert f'data-field-error="{field}"' in response.content.decode()
    assert Job.objects.count() == 0


def test_province_may_not_choose_a_unit_as_area(world, client_for):
    response = start(client_for(world.province_staff), area=world.sjz_unit.pk)
    assert response.status_code == 400
    assert 'data-field-error="area"' in response.content.decode()


def test_association_cannot_widen_its_scope_with_an_area(world, client_for):
    make_organisation(name="唐山单位", parent=world.tangshan)
    job = export(client_for(world.sjz_association), area=world.tangshan.pk)
    assert job.result["rows"] == 2


def test_export_lands_on_the_job_page_and_lists_the_job(world, client_for):
    client = client_for(world.sjz_association)
    response = start(client)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(reverse("exports:home")).content.decode()
    assert f'data-export-job="{job.pk}"' in page


def test_worker_refuses_a_filter_that_left_the_owners_scope(world, client_for):
    from jobs.testing import run_queued_jobs

    start(client_for(world.province_staff), area=world.tangshan.pk)
    world.province_staff.role = Role.ASSOCIATION
    world.province_staff.organisation = world.shijiazhuang
    world.province_staff.save()
    run_queued_jobs()
    job = Job.objects.get()
    assert (job.state, job.result_file) == (Job.State.FAILED, "")
