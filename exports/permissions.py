from core.roles import PROVINCE_ROLES, Role
from inspections.pool_io.workbook import can_export_unmasked

EXPORT_ROLES = (Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.ASSOCIATION)

__all__ = ["EXPORT_ROLES", "can_export", "can_export_unmasked"]


def can_export(user) -> bool:
    """The province and the associations export the 汇总表 of their scope."""
    return user.is_authenticated and user.is_active and (user.role in PROVINCE_ROLES or user.role == Role.ASSOCIATION)
