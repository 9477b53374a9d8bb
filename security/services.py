"""Signed-in sessions: noted, touched, ended. (The limits on failed sign-ins, their
locks and captcha are security.limits.)"""

import ipaddress
from datetime import UTC, datetime
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from security import permissions
from security.models import UserSession

# Keys of the session data (epoch seconds), read by security.middleware.
SIGNED_IN_AT = "security_signed_in_at"
LAST_SEEN = "security_last_seen"
# Activity is written at most this often: a request is not a database write.
TOUCH_EVERY_SECONDS = 60


def _ip_or_none(address: str) -> str | None:
    # The address comes from a header behind the proxy: only a real one goes in an inet column.
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _session_store():
    """The configured store (db locally, cached_db on Redis in production): ending a
    session deletes it there, not only our row."""
    return import_module(settings.SESSION_ENGINE).SessionStore


@transaction.atomic
def start_session(*, request, user) -> UserSession:
    """Note a new sign-in (Django has just given the session a new key). Rows of sessions
    that ran out without a sign-out are dropped on the way."""
    now = timezone.now()
    from core.middleware import client_ip

    UserSession.objects.exclude(pk__in=UserSession.objects.current(now=now).values("pk")).delete()
    request.session[SIGNED_IN_AT] = int(now.timestamp())
    request.session[LAST_SEEN] = int(now.timestamp())
    if request.session.session_key is None:
        # login() flushed the session of another user: it has no key until saved.
        request.session.save()
    session_key = request.session.session_key
    UserSession.objects.filter(session_key=session_key).delete()
    return UserSession.objects.create(
        user=user,
        session_key=session_key,
        ip=_ip_or_none(client_ip(request)),
        user_agent=request.headers.get("user-agent", "")[:255],
        signed_in_at=now,
        last_seen_at=now,
    )


def forget_session(*, session_key: str | None) -> None:
    """The session ended (signed out, timed out): drop its row."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def touch_session(*, request, user, now) -> None:
    """Note activity; called by the middleware at most once a minute per session."""
    request.session[LAST_SEEN] = int(now.timestamp())
    updated = UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=now)
    if not updated and request.session.session_key:
        # A session begun before sessions were noted: note it now.
        from core.middleware import client_ip

        signed_in = request.session.get(SIGNED_IN_AT)
        UserSession.objects.create(
            user=user,
            session_key=request.session.session_key,
            ip=_ip_or_none(client_ip(request)),
            user_agent=request.headers.get("user-agent", "")[:255],
            signed_in_at=datetime.fromtimestamp(signed_in, tz=UTC) if signed_in else now,
            last_seen_at=now,
        )


@transaction.atomic
def end_session(*, actor, user_session: UserSession) -> None:
    """The security administrator ends one signed-in session: it is deleted from the
    session store, so its next request is signed out. Audited "auth.session_end"."""
    if not permissions.can_manage_sign_in_security(actor):
        raise PermissionDenied
    record_event(
        actor=actor,
        action="auth.session_end",
        obj=user_session.user,
        reason="manual",
        details={"signed_in_at": user_session.signed_in_at.isoformat(), "ip": user_session.ip or ""},
    )
    _session_store()().delete(user_session.session_key)
    user_session.delete()


def end_user_sessions(*, user) -> int:
    """End every session of `user` at once (disabled account, password reset). The
    caller audits the change that needs it. Returns how many were ended."""
    store = _session_store()
    sessions = list(UserSession.objects.filter(user=user))
    for user_session in sessions:
        store().delete(user_session.session_key)
    UserSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
    return len(sessions)
