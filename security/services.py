"""Sign-in locks and signed-in sessions: every write of the security app.

Failures are counted per user name and per client address apart (SignInThrottle). A lock
lifts by itself LOGIN_LOCK_MINUTES after it began, or when the security administrator
unlocks it; both are audited ("auth.unlock", reason "expired" or "manual").
"""

import ipaddress
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditRecord
from audit.services import record_event
from security import permissions
from security.models import SignInThrottle, UserSession

# Keys of the session data (epoch seconds), read by security.middleware.
SIGNED_IN_AT = "security_signed_in_at"
LAST_SEEN = "security_last_seen"
# Activity is written at most this often: a request is not a database write.
TOUCH_EVERY_SECONDS = 60


def lock_window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def _ip_or_none(address: str) -> str | None:
    # The address comes from a header behind the proxy: only a real one goes in an inet column.
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _throttle_keys(*, username: str, address: str) -> list[tuple[str, str]]:
    username, address = username.replace("\x00", ""), address.replace("\x00", "")
    keys = []
    if username:
        keys.append((SignInThrottle.Kind.ACCOUNT, username[:150]))
    if address:
        keys.append((SignInThrottle.Kind.ADDRESS, address[:150]))
    return keys


def _key_q(keys):
    query = Q(pk__in=[])
    for kind, key in keys:
        query |= Q(kind=kind, key=key)
    return query


def _release(throttle: SignInThrottle, *, actor, reason: str) -> None:
    record_event(
        actor=actor,
        action="auth.unlock",
        obj=throttle,
        reason=reason,
        details={"kind": throttle.kind, "key": throttle.key},
    )
    throttle.delete()


@transaction.atomic
def active_lock(*, username: str, address: str) -> SignInThrottle | None:
    """The lock that holds for this user name or this client address, if any (the
    account's first). A lock found past its time is released here and audited."""
    now = timezone.now()
    keys = _throttle_keys(username=username, address=address)
    throttles = list(
        SignInThrottle.objects.select_for_update().filter(_key_q(keys), locked_until__isnull=False).order_by("kind")
    )
    holding = None
    for throttle in throttles:
        if throttle.locked_until > now:
            holding = holding or throttle
        else:
            _release(throttle, actor=None, reason="expired")
    return holding


def captcha_required(*, username: str, address: str) -> bool:
    """True from the first failed sign-in of this user name or this address within the
    lock window: the sign-in form then asks for the characters of a picture."""
    since = timezone.now() - lock_window()
    keys = _throttle_keys(username=username, address=address)
    return SignInThrottle.objects.filter(_key_q(keys), last_failure_at__gt=since, failures__gt=0).exists()


@transaction.atomic
def record_failure(*, username: str, address: str) -> SignInThrottle | None:
    """Count one failed sign-in for the user name and for the address. At
    settings.LOGIN_LOCK_FAILURES failures within the lock window the key is locked for
    LOGIN_LOCK_MINUTES ("auth.lock"). Returns the lock this failure began, if any."""
    now = timezone.now()
    window = lock_window()
    # Counts that ran out unlocked are of no use any more (most are mistyped or made-up names).
    SignInThrottle.objects.filter(locked_until__isnull=True, last_failure_at__lte=now - window).delete()
    began = None
    for kind, key in _throttle_keys(username=username, address=address):
        throttle, _created = SignInThrottle.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"first_failure_at": now, "last_failure_at": now}
        )
        if throttle.locked_until is not None and throttle.locked_until > now:
            continue  # already locked: the lock is not lengthened by further tries
        if throttle.locked_until is not None or throttle.first_failure_at <= now - window:
            if throttle.locked_until is not None:
                record_event(
                    actor=None, action="auth.unlock", obj=throttle, reason="expired", details={"kind": kind, "key": key}
                )
            throttle.failures, throttle.first_failure_at, throttle.locked_until = 0, now, None
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= settings.LOGIN_LOCK_FAILURES:
            throttle.locked_until = now + window
            record_event(
                actor=None,
                action="auth.lock",
                obj=throttle,
                to_state="locked",
                details={"kind": kind, "key": key, "failures": throttle.failures},
            )
            began = began or throttle
        throttle.save()
    return began


def record_refusal(*, username: str, reason: str) -> None:
    """Audit a sign-in refused before its password was checked (locked, wrong captcha);
    a wrong password is audited by accounts.signals from Django's own signal."""
    record_event(
        actor=None,
        action="auth.login_failed",
        result=AuditRecord.Result.FAILED,
        reason=reason,
        details={"username": username[:150]},
    )


@transaction.atomic
def record_success(*, username: str) -> None:
    """A good sign-in clears the account's count. The address keeps its own: an attacker
    holding one account must not be able to reset the count of the address he guesses from."""
    SignInThrottle.objects.filter(
        kind=SignInThrottle.Kind.ACCOUNT, key=username[:150], locked_until__isnull=True
    ).delete()


@transaction.atomic
def unlock(*, actor, throttle: SignInThrottle) -> None:
    """The security administrator lifts a lock before its time. PermissionDenied for anyone else."""
    if not permissions.can_manage_sign_in_security(actor):
        raise PermissionDenied
    throttle = SignInThrottle.objects.select_for_update().get(pk=throttle.pk)
    _release(throttle, actor=actor, reason="manual")


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
