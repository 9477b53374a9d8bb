"""Django's admin (the system administrator's) leaves a trace in the audit log for every
change of a user or an organisation, deletes nothing, and lets nobody change its own role."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditRecord
from core.roles import Role


def admin_client(world, client_for):
    world.system_admin.user_permissions.set(Permission.objects.all())
    return client_for(world.system_admin)


def user_form(user, **changes):
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation_id,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_user_changed_in_the_admin_is_audited(world, client_for):
    client = admin_client(world, client_for)
    url = reverse("admin:accounts_user_change", args=[world.sjz_operator.pk])
    response = client.post(url, user_form(world.sjz_operator, display_name="新名字"))
    assert response.status_code == 302, response.content.decode()[:3000]
    record = AuditRecord.objects.get(action="user.update")
    assert (record.actor_id, record.object_id, record.details["via"]) == (
        world.system_admin.pk,
        str(world.sjz_operator.pk),
        "admin",
    )


def test_the_admin_deletes_no_user_and_no_organisation(world, client_for):
    client = admin_client(world, client_for)
    assert client.get(reverse("admin:accounts_user_delete", args=[world.sjz_operator.pk])).status_code == 403
    url = reverse("admin:organisations_organisation_delete", args=[world.sjz_unit.pk])
    assert client.get(url).status_code == 403


def test_the_system_administrator_cannot_change_its_own_role(world, client_for):
    client = admin_client(world, client_for)
    url = reverse("admin:accounts_user_change", args=[world.system_admin.pk])
    client.post(url, user_form(world.system_admin, role=Role.AUDIT_ADMIN))
    world.system_admin.refresh_from_db()
    assert world.system_admin.role == Role.SYSTEM_ADMIN
