"""Every 403, whoever gets it, is one audit record access.denied."""

from django.test import Client
from django.urls import reverse

from audit.models import AuditRecord


def denials():
    return list(AuditRecord.objects.filter(action="access.denied").order_by("id"))


def test_a_role_turned_away_by_a_view_declaration_is_recorded_once(world, client_for):
    response = client_for(world.sjz_operator).get(reverse("audit:record-list"))
    assert response.status_code == 403
    [record] = denials()
    assert (record.actor_id, record.actor_name, record.actor_role, record.result) == (
        world.sjz_operator.pk,
        "sjzunit",
        "unit",
        AuditRecord.Result.DENIED,
    )
    assert record.details == {"path": "/audit/", "method": "GET"}
    assert record.ip == "127.0.0.1"


def test_a_post_turned_away_is_recorded_with_its_method(world, client_for):
    response = client_for(world.system_admin).post(reverse("audit:verify"))
    assert response.status_code == 403
    assert [(r.details["method"], r.actor_role) for r in denials()] == [("POST", "system_admin")]


def test_a_denial_raised_inside_a_view_is_recorded_once(world, client_for):
    # The association's role may edit accounts, but never its own: the view raises.
    url = reverse("accounts:user-edit", args=[world.sjz_association.pk])
    response = client_for(world.sjz_association).post(url, {"display_name": "x"})
    assert response.status_code == 403
    assert [(r.actor_name, r.details["path"]) for r in denials()] == [("sjz", url)]


def test_an_anonymous_csrf_failure_is_recorded(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    [record] = denials()
    assert (record.actor_id, record.actor_name, record.details["reason"]) == (None, "", "csrf")


def test_a_permitted_page_records_no_denial(world, client_for):
    assert client_for(world.audit_admin).get(reverse("audit:record-list")).status_code == 200
    assert denials() == []
