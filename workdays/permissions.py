from core.roles import PROVINCE_ROLES, Role

# Who keeps the calendar: it is a setting of the platform (the system administrator's)
# and of the campaign's deadlines (the provincial administrator's).
KEEPERS = frozenset({Role.PROVINCE_ADMIN, Role.SYSTEM_ADMIN})
# Who reads it: the keepers and the provincial staff, whose deadlines it counts.
READERS = KEEPERS | PROVINCE_ROLES


def can_keep_calendar(user) -> bool:
    return user.is_authenticated and user.role in KEEPERS
