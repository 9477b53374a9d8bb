"""Who may manage which account. Services enforce these; templates get the booleans."""

from core.roles import BUSINESS_ROLES, PROVINCE_ROLES, Role
from organisations.models import Kind


def assignable_roles(actor) -> list[str]:
    """The roles `actor` may give to an account it creates or edits."""
    if actor.role == Role.SYSTEM_ADMIN:
        return list(Role.values)
    if actor.role == Role.PROVINCE_ADMIN:
        return [r for r in Role.values if r in BUSINESS_ROLES]
    if actor.role == Role.PROVINCE_STAFF:
        return [Role.PROVINCE_STAFF, Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR]
    if actor.role == Role.ASSOCIATION:
        return [Role.UNIT]
    return []


def can_manage_users(actor) -> bool:
    return actor.is_authenticated and bool(assignable_roles(actor))


def can_manage_user(actor, user) -> bool:
    """The province and the system administrator manage accounts whose role they may
    assign; an association manages the unit operators of its own subtree."""
    if not actor.is_authenticated or not actor.is_active or actor.pk == user.pk:
        return False
    if user.role not in assignable_roles(actor):
        return False
    if actor.role in PROVINCE_ROLES or actor.role == Role.SYSTEM_ADMIN:
        return True
    return actor.role == Role.ASSOCIATION and actor.organisation.contains(user.organisation)


def role_fits_organisation(role: str, organisation) -> bool:
    """A unit operator belongs to a unit; an association user to an association;
    province and IT roles to the province; inspectors to any organisation."""
    if role == Role.UNIT:
        return organisation.kind == Kind.UNIT
    if role == Role.ASSOCIATION:
        return organisation.is_association
    if role == Role.INSPECTOR:
        return True
    return organisation.kind == Kind.PROVINCE


def roles_for(actor, organisation) -> list[str]:
    """The roles `actor` may give to an account of `organisation`; empty when it may give none."""
    return [r for r in assignable_roles(actor) if role_fits_organisation(r, organisation)]


def can_add_account(actor, organisation) -> bool:
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.role == Role.ASSOCIATION and not actor.organisation.contains(organisation):
        return False
    return bool(roles_for(actor, organisation))
