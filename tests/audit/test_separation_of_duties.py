"""三员分立 by construction: the system, security and audit administrators each reach
their own pages only, none of them changes business data, and no business role reaches
any of their pages. Walks every URL pattern (as tests/core/test_url_access.py does), so
pages added later are held to the same rules.

The areas:
- the audit administrator: the `audit` namespace, and nothing else of its own;
- the security administrator: the `security` namespace and the two-factor reset page
  (`twofactor` views declared for a role rather than for every signed-in user);
- the system administrator: Django's admin (users, organisations: core.admin_site), the
  account pages it shares with the business roles that manage accounts, and the
  working-day calendar it keeps with the provincial administrator;
- every signed-in user, administrators included: its own things only (its password,
  two-factor setup, notifications, background jobs), the PERSONAL list below;
- the three administrators together: the approval of privileged account changes
  (accounts.grants), where each decides what another role asked for.
"""

import pytest
from django.test import Client
from django.urls import reverse

from core.admin_site import admin_site
from core.roles import ALL_ROLES, BUSINESS_ROLES, IT_ROLES, Role
from tests.core.test_url_access import all_samples, read_through, url_names

# Views every signed-in user may use, because they touch only the user's own things.
PERSONAL_NAMESPACES = {"notifications", "jobs", "twofactor"}
PERSONAL_NAMES = {
    "accounts:password-change",
    "accounts:password-change-done",
    "notices:mark-all-read",
    "notices:read",
}
# Views open to every signed-in role whose object-level check (inside the view) refuses
# the administrators; test_administrators_are_refused_inside_shared_views holds them to it.
CHECKED_INSIDE = {"core:personal-number-unmask"}  # phone and ID numbers: business roles only (core.pii)
# What the system administrator does besides Django's admin: accounts.
SYSTEM_ADMIN_NAMES = {
    "accounts:user-list",
    "accounts:user-detail",
    "accounts:user-edit",
    "accounts:user-set-active",
    "accounts:user-password-reset",
    "accounts:user-create",
}
# The system administrator's settings pages besides: the working-day calendar (shared
# with the provincial administrator, whose deadlines it counts).
SYSTEM_ADMIN_NAMESPACES = {"workdays"}
# Shared by the three administrators: one asks (or the province does), another approves.
APPROVAL_NAMES = {"accounts:grant-approve", "accounts:grant-reject"}
APPROVAL_LIST = "accounts:grant-list"
# The only models in Django's admin: users and organisations (its settings are the
# deployment's environment).
ADMIN_MODELS = {"accounts.user", "organisations.organisation"}


def namespace_of(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else ""


def area_of(name: str, access) -> Role | None:
    """Whose own area a URL belongs to, if an administrator's."""
    namespace = namespace_of(name)
    if namespace == "audit":
        return Role.AUDIT_ADMIN
    if namespace == "security" or (namespace == "twofactor" and access.roles != ALL_ROLES):
        return Role.SECURITY_ADMIN
    if name in SYSTEM_ADMIN_NAMES or namespace in SYSTEM_ADMIN_NAMESPACES:
        return Role.SYSTEM_ADMIN
    return None


def is_personal(name: str, access) -> bool:
    return access.roles == ALL_ROLES and (
        namespace_of(name) in PERSONAL_NAMESPACES or name in PERSONAL_NAMES or name in CHECKED_INSIDE
    )


def test_every_view_for_every_signed_in_user_is_personal():
    """A view open to every role is open to all three administrators: it must touch
    only the user's own things, or it would let them do business work."""
    open_to_all = [name for name, view in url_names() if not view.access.public and view.access.roles == ALL_ROLES]
    assert [name for name in open_to_all if not is_personal(name, url_names_access(name))] == []


def url_names_access(wanted):
    return dict(url_names())[wanted].access


def test_administrators_are_declared_only_in_their_own_area():
    wrong = []
    for name, view in url_names():
        access = view.access
        if access.public or is_personal(name, access) or name in APPROVAL_NAMES | {APPROVAL_LIST}:
            continue
        area = area_of(name, access)
        for role in access.roles & IT_ROLES:
            if role != area:
                wrong.append((name, role, "an administrator outside its area"))
        if area in (Role.AUDIT_ADMIN, Role.SECURITY_ADMIN) and access.roles != {area}:
            wrong.append((name, sorted(access.roles), f"only {area} may use it"))
        if area == Role.SYSTEM_ADMIN and Role.SYSTEM_ADMIN not in access.roles:
            wrong.append((name, sorted(access.roles), "the system administrator manages accounts"))
    assert wrong == []


def test_privileged_changes_are_decided_by_the_three_administrators_only():
    declared = dict(url_names())
    assert {name: declared[name].access.roles for name in APPROVAL_NAMES} == dict.fromkeys(APPROVAL_NAMES, IT_ROLES)
    assert declared[APPROVAL_LIST].access.roles == IT_ROLES | {Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF}


def test_the_audit_and_security_areas_exist():
    names = {name for name, _ in url_names()}
    assert {"audit:record-list", "audit:record-detail", "audit:record-export", "audit:verify"} <= names


def test_business_roles_reach_no_administrator_page():
    wrong = [
        (name, sorted(view.access.roles & BUSINESS_ROLES))
        for name, view in url_names()
        if area_of(name, view.access) in (Role.AUDIT_ADMIN, Role.SECURITY_ADMIN) and view.access.roles & BUSINESS_ROLES
    ]
    assert wrong == []


def test_the_admin_holds_users_and_organisations_only():
    assert {model._meta.label_lower for model in admin_site._registry} == ADMIN_MODELS


@pytest.mark.parametrize("role", sorted(IT_ROLES))
def test_an_administrator_is_refused_every_unsafe_request_outside_its_area(world, role):
    """POST to every page that does not declare the role: 403, nothing done."""
    from audit.models import AuditRecord

    samples = all_samples(world)
    client = Client()
    client.force_login(world.user_of(role))
    wrong = []
    for name, view in url_names():
        if view.access.public or role in view.access.roles:
            continue
        before = AuditRecord.objects.exclude(action="access.denied").count()
        response = client.post(reverse(name, kwargs=samples[name]), {"name": "x", "state": "x"})
        read_through(response)
        if response.status_code != 403:
            wrong.append((name, response.status_code))
        elif AuditRecord.objects.exclude(action="access.denied").count() != before:
            wrong.append((name, "changed something"))
    assert wrong == []


@pytest.mark.parametrize("role", sorted(IT_ROLES))
def test_administrators_are_refused_inside_shared_views(world, role):
    from audit.models import AuditRecord

    samples = all_samples(world)
    client = Client()
    client.force_login(world.user_of(role))
    for name in sorted(CHECKED_INSIDE):
        response = client.post(reverse(name, kwargs=samples[name]))
        read_through(response)
        assert response.status_code in (403, 404), name
    assert (
        not AuditRecord.objects.filter(actor_role=role, result=AuditRecord.Result.SUCCESS)
        .exclude(action="auth.login")
        .exists()
    )


@pytest.mark.parametrize("role", sorted(ALL_ROLES - {Role.SYSTEM_ADMIN}))
def test_only_the_system_administrator_enters_the_admin(world, client_for, role):
    response = client_for(world.user_of(role)).post(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_security_and_audit_administrators_manage_no_account(world, client_for, role):
    client = client_for(world.user_of(role))
    url = reverse("accounts:user-edit", args=[world.sjz_operator.pk])
    assert client.post(url, {"display_name": "x"}).status_code == 403
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.display_name != "x"
