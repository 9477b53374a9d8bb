"""Reads of the security app."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from security.models import SignInThrottle, UserSession

FIRST_SIGN_IN = "first_sign_in"
EXPIRED = "expired"


def password_change_reason(user) -> str | None:
    """Why `user` must change its password before anything else, or None:
    FIRST_SIGN_IN when someone else chose it (settings.PASSWORD_CHANGE_AT_FIRST_SIGN_IN),
    EXPIRED when it is older than settings.PASSWORD_MAX_AGE_DAYS (0 turns that off)."""
    if settings.PASSWORD_CHANGE_AT_FIRST_SIGN_IN and user.must_change_password:
        return FIRST_SIGN_IN
    if settings.PASSWORD_MAX_AGE_DAYS > 0:
        changed = user.password_changed_at or user.date_joined
        if timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS):
            return EXPIRED
    return None


def current_locks(*, query: str = "", kind: str = ""):
    """Locks that still hold: accounts under attack first, then newest first; `query`
    matches the user name or address."""
    locks = SignInThrottle.objects.locked()
    if query:
        locks = locks.filter(key__icontains=query)
    if kind:
        locks = locks.filter(kind=kind)
    attacked_first = Case(When(kind=SignInThrottle.Kind.ACCOUNT, then=Value(0)), default=Value(1))
    return locks.order_by(attacked_first, "-locked_until", "pk")


def signed_in_sessions(*, query: str = ""):
    """Sessions neither idle nor past their 8 hours, most recently active first; `query`
    matches the user name or the user's full name."""
    sessions = UserSession.objects.current().select_related("user", "user__organisation")
    if query:
        sessions = sessions.filter(Q(user__username__icontains=query) | Q(user__display_name__icontains=query))
    return sessions.order_by("-last_seen_at", "pk")
