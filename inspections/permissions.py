from django.core.exceptions import PermissionDenied

from core.roles import PROVINCE_ROLES


def require_province(actor) -> None:
    """The expert pool and inspection planning are the provincial office's: PermissionDenied
    for anyone else (the one check the services of both call)."""
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.role in PROVINCE_ROLES):
        raise PermissionDenied
