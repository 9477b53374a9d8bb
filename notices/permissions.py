"""Who may do what with notices and the contact page. Services enforce these;
templates receive the booleans."""

from core.roles import PROVINCE_ROLES


def can_manage_notices(user) -> bool:
    """The provincial office writes, edits, publishes and withdraws notices and keeps the
    contact page up to date."""
    return user.is_authenticated and user.is_active and user.role in PROVINCE_ROLES
