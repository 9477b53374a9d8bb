"""Who may do what to an organisation. Services enforce these; templates get the booleans."""

from core.roles import PROVINCE_ROLES, Role
from organisations.models import Kind

# The roles that keep organisations: the province everywhere, an association in its subtree.
MANAGERS = (*PROVINCE_ROLES, Role.ASSOCIATION)


def can_manage_organisations(user) -> bool:
    return user.is_authenticated and user.role in MANAGERS


def can_manage_organisation(user, organisation) -> bool:
    """The province manages every organisation; an association manages the units of
    its own subtree (not itself, not the associations beside or above it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in PROVINCE_ROLES:
        return True
    if user.role == Role.ASSOCIATION:
        return organisation.kind == Kind.UNIT and user.organisation.contains(organisation)
    return False


def can_create_below(user, parent) -> bool:
    """May `user` add an organisation below `parent`? Associations add units only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in PROVINCE_ROLES:
        return parent.kind != Kind.UNIT
    if user.role == Role.ASSOCIATION:
        return parent.kind != Kind.UNIT and user.organisation.contains(parent)
    return False


def creatable_kinds(user) -> list[str]:
    if user.role in PROVINCE_ROLES:
        return [k for k in Kind.values if k != Kind.PROVINCE]
    if user.role == Role.ASSOCIATION:
        return [Kind.UNIT]
    return []


def can_review_registration(user, organisation) -> bool:
    """The association above a self-registered unit, or the province, approves it."""
    if not user.is_authenticated or not user.is_active or organisation.kind != Kind.UNIT:
        return False
    if user.role in PROVINCE_ROLES:
        return True
    return user.role == Role.ASSOCIATION and user.organisation.contains(organisation)
