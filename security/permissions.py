"""Who may see and lift sign-in locks and end sessions: the security administrator alone
(三员分立: not the system administrator, not the audit administrator)."""

from core.roles import Role


def can_manage_sign_in_security(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.SECURITY_ADMIN
