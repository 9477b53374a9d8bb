"""Who may read the audit log (三员分立: the audit administrator, and nobody else)."""

from core.roles import Role

AUDIT_READERS = (Role.AUDIT_ADMIN,)


def can_read_audit_log(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in AUDIT_READERS
