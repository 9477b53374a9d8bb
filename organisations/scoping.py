"""The one scope rule of DESIGN.md §2, written once: the province sees every unit's rows,
an association those of the units in its subtree, a unit operator its own unit's.
Each model's `visible_to` composes it with what is its own (drafts hidden from the
office, an inspector's inspections, the system administrator's organisations)."""

from django.db.models import Q

from core.roles import PROVINCE_ROLES, Role


def subtree_q(path: str, prefix: str = "") -> Q:
    """Everything at or below `path`, as an index range rather than LIKE.

    Paths hold only digits and "/", and "0" is the character right after "/", so every
    path that starts with "1/2/" sorts in ["1/2/", "1/20"). Both SQLite and PostgreSQL
    answer a range from a plain B-tree index; SQLite never uses one for Django's LIKE."""
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path[:-1] + "0"})


def unit_scope_q(user, *, unit: str = "unit") -> Q | None:
    """A filter on the unit that the field path `unit` reaches ("" for the organisation
    rows themselves): Q() for everything, None when the ladder gives `user` nothing
    (signed out, disabled, inspectors and the IT roles, whose scope is the model's own)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in PROVINCE_ROLES:
        return Q()
    prefix = f"{unit}__" if unit else ""
    if user.role == Role.ASSOCIATION and user.organisation_id:
        return subtree_q(user.organisation.path, prefix=prefix)
    if user.role == Role.UNIT and user.organisation_id:
        return Q(**{f"{unit}_id" if unit else "pk": user.organisation_id})
    return None


def in_unit_scope(queryset, user, *, unit: str = "unit"):
    """`queryset` narrowed to `user`'s units, or none."""
    q = unit_scope_q(user, unit=unit)
    return queryset.none() if q is None else queryset.filter(q)
