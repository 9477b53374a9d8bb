"""三员分立 (issue 18, item 1): no administrator alone gives anyone a privileged role. Every
path that can set a role is walked as every role: the platform's account pages, Django's
admin, the Excel import and the command that makes the first administrators."""

import pytest

from accounts.models import RoleGrant, User
from audit.models import AuditRecord
from core.roles import ALL_ROLES, PRIVILEGED_ROLES, Role
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Qiang-Mima-2026!x"


def _admin_client(world, client_for):
    from django.contrib.auth.models import Permission

    world.system_admin.user_permissions.set(Permission.objects.all())
    return client_for(world.system_admin)


def _privileged_and_active():
    return set(User.objects.filter(role__in=PRIVILEGED_ROLES, is_active=True).values_list("username", flat=True))


def test_no_role_creates_an_active_privileged_account_on_the_platform(world, client_for):
    before = _privileged_and_active()
    for actor_role in ALL_ROLES:
        client = client_for(world.user_of(actor_role))
        for target_role in PRIVILEGED_ROLES:
            username = f"new_{actor_role}_{target_role}"[:30]
            client.post(
                f"/accounts/organisations/{world.province.pk}/users/new/",
                {
                    "username": username,
                    "display_name": "新账号",
                    "email": "",
                    "phone": "",
                    "role": target_role,
                    "password1": NEW_PASSWORD,
                    "password2": NEW_PASSWORD,
                },
            )
            made = User.objects.filter(username=username).first()
            if made is not None:
                # Made, but disabled until a second administrator approves.
                assert not made.is_active
                assert RoleGrant.objects.pending().filter(user=made, kind=RoleGrant.Kind.ENABLE).exists()
    assert _privileged_and_active() == before


def test_no_role_changes_a_role_to_or_from_a_privileged_one_alone(world, client_for):
    for actor_role in ALL_ROLES:
        actor = world.user_of(actor_role)
        client = client_for(actor)
        for target_role in [*PRIVILEGED_ROLES, Role.INSPECTOR]:
            target = make_user(
                role=Role.INSPECTOR if target_role in PRIVILEGED_ROLES else Role.PROVINCE_STAFF,
                organisation=world.province,
            )
            held = target.role
            client.post(
                f"/accounts/users/{target.pk}/edit/",
                {"username": target.username, "display_name": "改", "email": "", "phone": "", "role": target_role},
            )
            target.refresh_from_db()
            assert target.role == held, (actor_role, target_role)
            assert target.display_name in ("", "改")


def test_no_role_resets_a_privileged_password_or_enables_a_privileged_account_alone(world, client_for):
    for actor_role in ALL_ROLES:
        client = client_for(world.user_of(actor_role))
        target = make_user(role=Role.AUDIT_ADMIN, organisation=world.province, is_active=False)
        client.post(f"/accounts/users/{target.pk}/active/", {"active": "1"})
        response = client.post(f"/accounts/users/{target.pk}/password-reset/")
        target.refresh_from_db()
        assert not target.is_active
        assert target.check_password(PASSWORD)
        assert "new-password" not in response.content.decode()


def test_the_django_admin_gives_no_privileged_role(world, client_for):
    admin = _admin_client(world, client_for)
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "viaadmin",
            "role": Role.AUDIT_ADMIN,
            "organisation": world.province.pk,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="viaadmin").exists()

    # The role of an existing account is read-only there: a forged role is ignored.
    page = admin.get(f"/admin/accounts/user/{world.sjz_operator.pk}/change/")
    form = page.context["adminform"].form
    assert "role" not in form.fields
    data = {name: form[name].value() or "" for name in form.fields if name not in {"password"}}
    data.update(
        {"role": Role.AUDIT_ADMIN, "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "last_login_0": ""}
    )
    admin.post(f"/admin/accounts/user/{world.sjz_operator.pk}/change/", data)
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.role == Role.UNIT

    # A privileged account is only shown: no password, organisation or enabling there.
    assert admin.post(
        f"/admin/accounts/user/{world.audit_admin.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    ).status_code in (403, 302)
    world.audit_admin.refresh_from_db()
    assert world.audit_admin.check_password(PASSWORD)


def test_a_role_must_fit_the_organisation_in_the_django_admin(world, client_for):
    admin = _admin_client(world, client_for)
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "misfit",
            "role": Role.UNIT,
            "organisation": world.province.pk,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="misfit").exists()


def test_a_role_must_fit_the_organisation_on_every_full_clean(world):
    from django.core.exceptions import ValidationError

    for role, organisation in [
        (Role.UNIT, world.province),
        (Role.ASSOCIATION, world.sjz_unit),
        (Role.AUDIT_ADMIN, world.shijiazhuang),
    ]:
        with pytest.raises(ValidationError):
            User(username=f"x{role}", role=role, organisation=organisation, password="!").full_clean()


def test_the_operator_import_only_makes_unit_accounts_of_units(world):
    from imports.checks import _check_operators
    from imports.layouts import LAYOUTS, OPERATORS

    world.province.code = "11130000MB0000000A"
    world.province.save()
    layout = LAYOUTS[OPERATORS]
    cells = {field: "" for _header, field in layout.columns}
    cells.update({"username": "provop", "display_name": "张三", "unit": world.province.code, "phone": "", "email": ""})
    [row] = _check_operators([(2, cells)], layout, lambda *args: None)
    assert row.problems


@pytest.mark.django_db
def test_the_first_administrators_command_makes_no_second_of_a_role(monkeypatch, capsys):
    import importlib.util
    from pathlib import Path

    from tests.factories import World

    path = Path(__file__).resolve().parents[2] / "deploy" / "create_admin.py"
    spec = importlib.util.spec_from_file_location("create_admin", path)
    create_admin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(create_admin)

    world = World()  # the three administrators exist
    monkeypatch.setattr("builtins.input", lambda prompt: "another")
    monkeypatch.setattr("getpass.getpass", lambda prompt: NEW_PASSWORD)
    assert create_admin.main() == 1
    assert not User.objects.filter(username="another").exists()
    assert world.system_admin.role == Role.SYSTEM_ADMIN


def _ask_audit_admin(world, client_for, requester):
    client_for(requester).post(
        f"/accounts/organisations/{world.province.pk}/users/new/",
        {
            "username": "auditor2",
            "display_name": "审计员二",
            "email": "",
            "phone": "",
            "role": Role.AUDIT_ADMIN,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    return RoleGrant.objects.get(user__username="auditor2")


def test_a_grant_takes_effect_when_an_administrator_of_another_role_approves(world, client_for):
    grant = _ask_audit_admin(world, client_for, world.system_admin)
    second_sysadmin = make_user(role=Role.SYSTEM_ADMIN, organisation=world.province)
    for refused in (world.system_admin, second_sysadmin, world.province_admin, world.sjz_operator):
        response = client_for(refused).post(f"/accounts/privileged-changes/{grant.pk}/approve/")
        assert response.status_code in (403, 404), refused.role
    assert not User.objects.get(username="auditor2").is_active

    response = client_for(world.security_admin).post(f"/accounts/privileged-changes/{grant.pk}/approve/")
    assert response.status_code == 302
    assert User.objects.get(username="auditor2").is_active
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (RoleGrant.Status.APPROVED, world.security_admin)
    actions = list(
        AuditRecord.objects.filter(object_id=str(grant.user_id), action__startswith="role_grant.")
        .order_by("pk")
        .values_list("action", "actor_name")
    )
    assert actions == [("role_grant.request", "sysadmin"), ("role_grant.approve", "secadmin")]


def test_a_rejected_account_stays_disabled_and_cannot_be_enabled_by_the_asker(world, client_for):
    grant = _ask_audit_admin(world, client_for, world.system_admin)
    audit = client_for(world.audit_admin)
    assert audit.post(f"/accounts/privileged-changes/{grant.pk}/reject/", {"reason": ""}).status_code == 400
    assert audit.post(f"/accounts/privileged-changes/{grant.pk}/reject/", {"reason": "未经批准"}).status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.reason) == (RoleGrant.Status.REJECTED, "未经批准")
    client_for(world.system_admin).post(f"/accounts/users/{grant.user_id}/active/", {"active": "1"})
    assert not User.objects.get(pk=grant.user_id).is_active
    assert RoleGrant.objects.pending().filter(user_id=grant.user_id, kind=RoleGrant.Kind.ENABLE).exists()


def test_an_approved_password_reset_is_shown_to_the_approver_once(world, client_for):
    client_for(world.system_admin).post(f"/accounts/users/{world.province_admin.pk}/password-reset/")
    grant = RoleGrant.objects.get(user=world.province_admin, kind=RoleGrant.Kind.PASSWORD)
    world.province_admin.refresh_from_db()
    assert world.province_admin.check_password(PASSWORD)
    response = client_for(world.security_admin).post(f"/accounts/privileged-changes/{grant.pk}/approve/")
    password = response.context["password"]
    world.province_admin.refresh_from_db()
    assert world.province_admin.check_password(password)
    assert world.province_admin.must_change_password


def test_the_approvers_are_told_and_see_the_request_in_their_todos(
    world, client_for, django_capture_on_commit_callbacks
):
    from core.todos import todos_for
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        _ask_audit_admin(world, client_for, world.system_admin)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"secadmin", "auditadmin"} <= told
    assert "sysadmin" not in told
    assert [t.key for t in todos_for(world.security_admin)] == ["accounts.privileged_changes"]
    assert "accounts.privileged_changes" not in [t.key for t in todos_for(world.system_admin)]


def test_the_request_list_is_scoped(world, client_for):
    grant = _ask_audit_admin(world, client_for, world.system_admin)
    assert "auditor2" in client_for(world.security_admin).get("/accounts/privileged-changes/").content.decode()
    assert "auditor2" in client_for(world.system_admin).get("/accounts/privileged-changes/").content.decode()
    assert "auditor2" not in client_for(world.province_admin).get("/accounts/privileged-changes/").content.decode()
    for role in (Role.UNIT, Role.ASSOCIATION, Role.INSPECTOR):
        assert client_for(world.user_of(role)).get("/accounts/privileged-changes/").status_code == 403
        assert (
            client_for(world.user_of(role)).post(f"/accounts/privileged-changes/{grant.pk}/approve/").status_code == 403
        )


def test_an_account_change_in_the_admin_records_old_and_new_values(world, client_for):
    admin = _admin_client(world, client_for)
    page = admin.get(f"/admin/accounts/user/{world.sjz_operator.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in {"password"}}
    data.update(
        {"display_name": "新名字", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "last_login_0": ""}
    )
    data["is_active"] = "on"
    assert admin.post(f"/admin/accounts/user/{world.sjz_operator.pk}/change/", data).status_code == 302
    record = AuditRecord.objects.filter(action="user.update", object_id=str(world.sjz_operator.pk)).latest("pk")
    assert record.details["changed"]["display_name"] == ["", "新名字"]


def test_a_role_change_on_the_platform_records_old_and_new_values_when_approved(world, client_for):
    target = make_user(role=Role.INSPECTOR, organisation=world.province)
    client_for(world.province_admin).post(
        f"/accounts/users/{target.pk}/edit/",
        {"username": target.username, "display_name": "", "email": "", "phone": "", "role": Role.PROVINCE_STAFF},
    )
    grant = RoleGrant.objects.get(user=target)
    client_for(world.system_admin).post(f"/accounts/privileged-changes/{grant.pk}/approve/")
    target.refresh_from_db()
    assert target.role == Role.PROVINCE_STAFF
    record = AuditRecord.objects.filter(action="user.update", object_id=str(target.pk)).latest("pk")
    assert record.details["changed"]["role"] == [Role.INSPECTOR, Role.PROVINCE_STAFF]
