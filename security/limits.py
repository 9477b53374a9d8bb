"""Limits on failed sign-ins that bound guessing without handing anyone a way to lock
others out (issue 18).

Every failed step of a sign-in is one SignInFailure row: a wrong password, a wrong
second-factor code (TOTP or recovery code) or a wrong captcha. Who it counts against
depends on the client (SignInClient):

- a browser with a valid device cookie for the user (security.devices) is judged on its
  own failures only: LOGIN_LOCK_FAILURES within LOGIN_LOCK_MINUTES lock that browser.
  Nothing others do (the account's or the address's locks and captchas) touches it;
- an unknown browser counts against the account from its address (LOGIN_LOCK_FAILURES
  within the window lock the account from that address), against the account's unknown
  browsers everywhere (LOGIN_ACCOUNT_FAILURES_PER_HOUR in any hour lock them all: the
  account is under attack and the security administrators are alerted), and against its
  address (captcha for every unknown browser there from LOGIN_ADDRESS_CAPTCHA_FAILURES,
  lock from LOGIN_ADDRESS_LOCK_FAILURES, numbers far above one person's mistakes because
  a whole office may share one address);
- a wrong captcha counts against the address (or the known browser) only, never the
  account: sending wrong captchas locks no one else's account.

A lock is a SignInThrottle row, audited "auth.lock" when it begins and "auth.unlock"
when it lifts (by itself, "expired", or by the security administrator, "manual").
A sign-in is complete when every factor passed; only then are the failures of that
client forgiven (sign_in_completed), never at a right password alone.
"""

from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditRecord
from audit.services import record_event
from core.roles import Role
from notifications.services import notify, translatable
from security import devices, permissions
from security.models import SignInFailure, SignInThrottle

Kind = SignInThrottle.Kind
Reason = SignInFailure.Reason
HOUR = timedelta(hours=1)
GUESSES = (Reason.PASSWORD, Reason.CODE)
# The session remembers the user name that failed last, so that the sign-in page shown
# again (a reload) already asks for the captcha that name needs.
LAST_USERNAME = "security_last_username"

LOCK_MESSAGES = {
    "account_locked": _(
        "Sign-in to this account from this browser is locked after too many failed sign-ins. Try again after "
        "%(time)s, from a browser you have signed in with before, or ask the security administrator to unlock it."
    ),
    "address_locked": _(
        "Too many failed sign-ins came from your network address, so it is locked. Try again after "
        "%(time)s, or ask the security administrator to unlock it."
    ),
    "device_locked": _(
        "Sign-in to this account from this browser is locked after too many failed sign-ins. Try again after "
        "%(time)s, or ask the security administrator to unlock it."
    ),
}


@dataclass(frozen=True)
class SignInClient:
    """Who is signing in, as far as the limits go: the user name as typed, the client
    address (core.middleware.client_ip) and the number of its device cookie for that user
    ("" for an unknown browser)."""

    username: str
    address: str = ""
    device: str = ""


def client_for(request, username: str) -> SignInClient:
    from core.middleware import client_ip

    username = str(username).replace("\x00", "")[:150]
    if request is None:
        return SignInClient(username=username)
    return SignInClient(
        username=username,
        address=client_ip(request)[:45],
        device=devices.device_for(request, username) if username else "",
    )


def lock_window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def account_address_key(username: str, address: str) -> str:
    return f"{username} {address}"  # user names and addresses hold no spaces


def device_key(username: str, device: str) -> str:
    return f"{username} #{device}"


def _lock_keys(client: SignInClient) -> list[tuple[str, str]]:
    """The locks that can refuse `client`, the most particular last."""
    if client.device:
        return [(Kind.DEVICE, device_key(client.username, client.device))]
    keys = []
    if client.username:
        keys.append((Kind.ACCOUNT, client.username))
        if client.address:
            keys.append((Kind.ACCOUNT_ADDRESS, account_address_key(client.username, client.address)))
    if client.address:
        keys.append((Kind.ADDRESS, client.address))
    return keys


def _key_q(keys) -> Q:
    query = Q(pk__in=[])
    for kind, key in keys:
        query |= Q(kind=kind, key=key)
    return query


def _guesses_of_unknown_browsers(username: str):
    return SignInFailure.objects.filter(username=username, device="", reason__in=GUESSES)


def _failures_of_key(kind: str, key: str):
    """The failures a lock of `kind` and `key` counts (and an unlock forgives)."""
    if kind == Kind.DEVICE:
        return SignInFailure.objects.filter(device=key.rpartition(" #")[2])
    if kind == Kind.ACCOUNT:
        return _guesses_of_unknown_browsers(key)
    if kind == Kind.ACCOUNT_ADDRESS:
        username, _space, address = key.rpartition(" ")
        return _guesses_of_unknown_browsers(username).filter(address=address)
    return SignInFailure.objects.filter(address=key, device="")


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
def active_lock(client: SignInClient) -> SignInThrottle | None:
    """The lock that refuses `client` now, if any. A known browser is refused only by its
    own lock; an unknown one by the account's, the account's from its address, or its
    address's. A lock found past its time is released here and audited."""
    now = timezone.now()
    keys = _lock_keys(client)
    order = {key: index for index, key in enumerate(keys)}
    throttles = sorted(
        SignInThrottle.objects.select_for_update().filter(_key_q(keys), locked_until__isnull=False),
        key=lambda throttle: order[(throttle.kind, throttle.key)],
    )
    holding = None
    for throttle in throttles:
        if throttle.locked_until > now:
            holding = holding or throttle
        else:
            _release(throttle, actor=None, reason="expired")
    return holding


def captcha_required(client: SignInClient) -> bool:
    """Whether the sign-in form asks `client` for the characters of a picture: a known
    browser after a failure of its own within the window; an unknown one after any failed
    guess at the account from an unknown browser, or after LOGIN_ADDRESS_CAPTCHA_FAILURES
    failures of unknown browsers at its address."""
    since = timezone.now() - lock_window()
    recent = SignInFailure.objects.filter(at__gt=since)
    if client.device:
        return recent.filter(device=client.device).exists()
    if client.username and recent.filter(username=client.username, device="", reason__in=GUESSES).exists():
        return True
    if client.address:
        return recent.filter(address=client.address, device="").count() >= settings.LOGIN_ADDRESS_CAPTCHA_FAILURES
    return False


@transaction.atomic
def record_failure(client: SignInClient, *, reason: str) -> SignInThrottle | None:
    """Count one failed step of `client` (Reason: password, code or captcha) and begin
    each lock it brings to its limit ("auth.lock"; the account's own lock also alerts the
    security administrators). Returns the lock that now refuses `client`, if one began."""
    now = timezone.now()
    window = lock_window()
    SignInFailure.objects.filter(at__lte=now - max(window, HOUR)).delete()
    SignInFailure.objects.create(
        username=client.username[:150], address=client.address[:45], device=client.device, reason=reason, at=now
    )
    if client.device:
        own = SignInFailure.objects.filter(device=client.device, at__gt=now - window)
        if own.count() < settings.LOGIN_LOCK_FAILURES:
            return None
        return _begin_lock(Kind.DEVICE, device_key(client.username, client.device), own, until=now + window)
    began = []
    if client.username and reason in GUESSES:
        if client.address:
            here = _guesses_of_unknown_browsers(client.username).filter(address=client.address, at__gt=now - window)
            if here.count() >= settings.LOGIN_LOCK_FAILURES:
                key = account_address_key(client.username, client.address)
                began.append(_begin_lock(Kind.ACCOUNT_ADDRESS, key, here, until=now + window))
        hour = list(
            _guesses_of_unknown_browsers(client.username)
            .filter(at__gt=now - HOUR)
            .order_by("at")
            .values_list("at", flat=True)
        )
        limit = settings.LOGIN_ACCOUNT_FAILURES_PER_HOUR
        if len(hour) >= limit:
            # Until fewer than `limit` guesses fall within the last hour: at most `limit` in any hour.
            until = max(now + window, hour[len(hour) - limit] + HOUR)
            lock = _begin_lock(
                Kind.ACCOUNT,
                client.username,
                _guesses_of_unknown_browsers(client.username).filter(at__gt=now - HOUR),
                until=until,
            )
            if lock is not None:
                _alert_under_attack(lock)
            began.insert(0, lock)
    if client.address:
        there = SignInFailure.objects.filter(address=client.address, device="", at__gt=now - window)
        if there.count() >= settings.LOGIN_ADDRESS_LOCK_FAILURES:
            began.append(_begin_lock(Kind.ADDRESS, client.address, there, until=now + window))
    return next((lock for lock in began if lock is not None), None)


def _begin_lock(kind: str, key: str, failures, *, until) -> SignInThrottle | None:
    """Lock `key` until `until` for the `failures` counted; None if it is locked already
    (a lock is not lengthened by tries while it holds)."""
    now = timezone.now()
    throttle, created = SignInThrottle.objects.select_for_update().get_or_create(
        kind=kind, key=key, defaults={"first_failure_at": now, "last_failure_at": now}
    )
    if not created and throttle.locked_until is not None:
        if throttle.locked_until > now:
            return None
        _release(throttle, actor=None, reason="expired")
        throttle = SignInThrottle.objects.create(kind=kind, key=key, first_failure_at=now, last_failure_at=now)
    times = sorted(failures.values_list("at", flat=True))
    throttle.failures = len(times)
    throttle.first_failure_at, throttle.last_failure_at = times[0], times[-1]
    throttle.locked_until = until
    throttle.save()
    record_event(
        actor=None,
        action="auth.lock",
        obj=throttle,
        to_state="locked",
        details={"kind": kind, "key": key, "failures": throttle.failures},
    )
    return throttle


def _alert_under_attack(lock: SignInThrottle) -> None:
    """The account's unknown browsers are locked: tell every security administrator (in
    the platform and by e-mail, after the commit) and audit it. Not for user names that
    belong to nobody: the lock itself still tells nobody which names exist."""
    user_model = get_user_model()
    account = user_model.objects.filter(username=lock.key).first()
    if account is None:
        return
    addresses = (
        _guesses_of_unknown_browsers(lock.key).filter(at__gt=timezone.now() - HOUR).values("address").distinct().count()
    )
    until = f"{timezone.localtime(lock.locked_until):%Y-%m-%d %H:%M}"
    record_event(
        actor=None,
        action="auth.under_attack",
        obj=account,
        details={"username": lock.key, "failures": lock.failures, "addresses": addresses, "locked_until": until},
    )
    notify(
        recipients=user_model.objects.filter(role=Role.SECURITY_ADMIN, is_active=True),
        title=translatable(_("The account %(username)s is under attack"), username=lock.key),
        body=translatable(
            _(
                "%(failures)s wrong passwords or codes from unknown browsers within an hour, from %(addresses)s "
                "network addresses. Unknown browsers cannot sign in to it until %(time)s; browsers its owner "
                "signed in with before still can."
            ),
            failures=lock.failures,
            addresses=addresses,
            time=until,
        ),
        url=f"{reverse('security:lock-list')}?{urlencode({'q': lock.key})}",
        kind="security.under_attack",
    )


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
def record_success(client: SignInClient) -> None:
    """A sign-in of `client` passed every factor: its own failures are forgiven (a known
    browser's, or the account's unknown-browser guesses from this address). Those made
    from other addresses stay counted: the owner signing in must not reset the count of
    someone guessing elsewhere."""
    if client.device:
        SignInFailure.objects.filter(device=client.device).delete()
    elif client.username:
        _guesses_of_unknown_browsers(client.username).filter(address=client.address).delete()


def sign_in_completed(*, request, response, user) -> None:
    """Every factor of `user`'s sign-in passed on `request`: forgive this client's
    failures and give the browser a device cookie for `user` on `response`."""
    record_success(client_for(request, user.get_username()))
    devices.remember_device(request=request, response=response, user=user)


def remember_username(request, username: str) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_USERNAME] = str(username)[:150]


def remembered_username(request) -> str:
    if request is None or not hasattr(request, "session"):
        return ""
    return str(request.session.get(LAST_USERNAME, ""))


def with_username(client: SignInClient, request, username: str) -> SignInClient:
    """`client` for another user name (the form's cleaned one)."""
    if username == client.username:
        return client
    return client_for(request, username) if request is not None else replace(client, username=username)


def lock_code(lock: SignInThrottle) -> str:
    if lock.kind == Kind.DEVICE:
        return "device_locked"
    return "address_locked" if lock.kind == Kind.ADDRESS else "account_locked"


def lock_until(lock: SignInThrottle) -> str:
    return f"{timezone.localtime(lock.locked_until):%H:%M}"


def lock_message(lock: SignInThrottle) -> str:
    return str(LOCK_MESSAGES[lock_code(lock)]) % {"time": lock_until(lock)}


@transaction.atomic
def unlock(*, actor, throttle: SignInThrottle) -> None:
    """The security administrator lifts a lock before its time; the failures it counted
    are forgiven, so that the next one does not lock again at once. PermissionDenied for
    anyone else."""
    if not permissions.can_manage_sign_in_security(actor):
        raise PermissionDenied
    throttle = SignInThrottle.objects.select_for_update().get(pk=throttle.pk)
    _failures_of_key(throttle.kind, throttle.key).delete()
    _release(throttle, actor=actor, reason="manual")
