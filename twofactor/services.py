"""Second-factor sign-in: enrolment of an authenticator app, verification of a session,
recovery codes, and the security administrator's reset.

A session is *verified* when it holds SESSION_KEY = the user's pk: set here only, after a
right code (or at enrolment, which proves the same thing). SecondFactorRequiredMiddleware
reads it; Django's login() drops it whenever another user signs in on the session.
"""

import hmac
import secrets
import time
import unicodedata

import pyotp
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditRecord
from audit.services import record_event
from core.roles import Role
from security import limits
from security.models import SignInFailure
from twofactor.models import RecoveryCode, TOTPDevice

SESSION_KEY = "twofactor_verified"
STEP_SECONDS = 30
DIGITS = 6
# A code of the step before or after the server's is accepted: phones' clocks drift.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper must read back the same.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
MAX_FAILURES = 5

VERIFY = "verify"
ENROL = "enrol"


# --- the session ---------------------------------------------------------------------


def mark_verified(request, user) -> None:
    """Record in the session that `user` passed the second factor. The session key is
    changed as well, as at any rise in privilege."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = user.pk


def is_verified(request) -> bool:
    return request.user.is_authenticated and request.session.get(SESSION_KEY) == request.user.pk


def is_required(user) -> bool:
    """Whether `user`'s role must sign in with a second factor (TWO_FACTOR_REQUIRED_ROLES)."""
    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def pending_step(user) -> str | None:
    """What a signed-in but unverified `user` must do before anything else: VERIFY (it has
    an authenticator app), ENROL (its role requires one, or the security administrator
    reset it), or None (second factor not in use for it)."""
    device = TOTPDevice.objects.filter(user=user).only("confirmed", "enrolment_required").first()
    if device is not None and device.confirmed:
        return VERIFY
    if is_required(user) or (device is not None and device.enrolment_required):
        return ENROL
    return None


# --- codes -----------------------------------------------------------------------------


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def totp_code(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def normalise_code(code: str) -> str:
    """A code as typed, without spaces, hyphens or case (readers copy "abcde-fghij"), and
    with full-width digits and letters (a Chinese input method's) read as plain ones."""
    code = unicodedata.normalize("NFKC", str(code))
    return "".join(ch for ch in code if ch not in " -\t").lower()


def matching_step(device: TOTPDevice, code: str, *, now: float | None = None) -> int | None:
    """The time step whose code `code` is, within the allowed drift and later than the
    last step used on `device`; None if there is none (wrong, expired or replayed)."""
    code = normalise_code(code)
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if device.last_used_step is not None and candidate <= device.last_used_step:
            continue
        if hmac.compare_digest(totp_code(device.secret, candidate), code):
            return candidate
    return None


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// address that an authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=device.user.get_username(), issuer_name=str(settings.PLATFORM_TITLE)
    )


def grouped_secret(secret: str) -> str:
    """The secret in groups of four letters, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def format_recovery_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def _replace_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=make_password(code)) for code in codes)
    return [format_recovery_code(code) for code in codes]


def _use_recovery_code(user, code: str) -> RecoveryCode | None:
    code = normalise_code(code)
    if len(code) != RECOVERY_CODE_LENGTH:
        return None
    # Rows are locked so that one code cannot be spent twice by two requests at once.
    for recovery in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
        if check_password(code, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            return recovery
    return None


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- enrolment -------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(*, user) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows: the one already
    started (a reload must not change a secret the user may have scanned), or a new one.
    Raises ValidationError if `user` already has a confirmed device."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return TOTPDevice.objects.create(user=user, secret=new_secret())
    if device.confirmed:
        raise ValidationError(_("Two-factor sign-in is already on."), code="already_enrolled")
    return device


def confirm_enrolment(*, request, user, code: str) -> list[str]:
    """Confirm the started device with a first code from the app; make the first set of
    recovery codes and verify the session. Returns the plain recovery codes, to be
    shown once. Raises ValidationError for a wrong code (audited as a failure) or when
    nothing was started."""
    codes = _confirm_enrolment(request=request, user=user, code=code)
    if codes is None:
        raise ValidationError(
            {"code": _("This code is not right. Check the time on your phone and type the newest code.")},
            code="wrong_code",
        )
    return codes


@transaction.atomic
def _confirm_enrolment(*, request, user, code: str) -> list[str] | None:
    # Returns None for a wrong code rather than raising, so that its audit row commits.
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start again: this enrolment is no longer open."), code="no_enrolment")
    step = matching_step(device, code)
    if step is None:
        record_event(actor=user, action="twofactor.enrol", obj=user, result=AuditRecord.Result.FAILED)
        return None
    device.confirmed = True
    device.confirmed_at = device.last_used_at = timezone.now()
    device.last_used_step = step
    device.failed_attempts = 0
    device.enrolment_required = False
    device.full_clean()
    device.save()
    codes = _replace_recovery_codes(user)
    record_event(actor=user, action="twofactor.enrol", obj=user)
    mark_verified(request, user)
    return codes


# --- verification ----------------------------------------------------------------------


WRONG = "wrong"
SIGNED_OUT = "signed_out"


def verify(*, request, user, code: str) -> str:
    """Check the second factor of the signed-in, unverified `user`: a code of its app or
    an unused recovery code (which is then spent). On success the session is verified
    and "totp" or "recovery" returned; the caller completes the sign-in
    (security.limits.sign_in_completed). A wrong code counts as a failed sign-in of this
    client exactly as a wrong password does (security.limits.record_failure: locks,
    captcha) and raises ValidationError (code "wrong_code"). When a lock refuses this
    client, or begins with this code, or at the MAX_FAILURES-th wrong code in a row, the
    user is signed out and ValidationError raised with code "signed_out". Every attempt
    is audited."""
    outcome, lock = _verify(request=request, user=user, code=code)
    if outcome == SIGNED_OUT:
        message = (
            limits.lock_message(lock)
            if lock is not None
            else _("Too many wrong codes: you have been signed out. Sign in again.")
        )
        raise ValidationError(message, code="signed_out")
    if outcome == WRONG:
        raise ValidationError({"code": _("This code is not right, or it has been used already.")}, code="wrong_code")
    return outcome


@transaction.atomic
def _verify(*, request, user, code: str):
    # Returns the outcome rather than raising, so that a failure's count and audit commit.
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(_("Two-factor sign-in is not on for this account."), code="no_device")
    client = limits.client_for(request, user.get_username())
    lock = limits.active_lock(client)
    if lock is not None:
        # Locked since the password was typed (by this session's codes or anyone's guesses).
        limits.record_refusal(username=client.username, reason="locked")
        logout(request)
        return SIGNED_OUT, lock
    step = matching_step(device, code)
    method = "totp"
    if step is None:
        method = "recovery" if _use_recovery_code(user, code) is not None else None
    if method is None:
        device.failed_attempts += 1
        failures = device.failed_attempts
        began = limits.record_failure(client, reason=SignInFailure.Reason.CODE)
        signed_out = failures >= MAX_FAILURES or began is not None
        if signed_out:
            device.failed_attempts = 0
        device.save(update_fields=["failed_attempts"])
        record_event(
            actor=user,
            action="auth.2fa_failed",
            obj=user,
            result=AuditRecord.Result.FAILED,
            details={"failures_in_a_row": failures, "signed_out": signed_out},
        )
        if not signed_out:
            return WRONG, None
        limits.remember_username(request, client.username)
        logout(request)
        return SIGNED_OUT, began
    device.failed_attempts = 0
    device.last_used_at = timezone.now()
    fields = ["failed_attempts", "last_used_at"]
    if step is not None:
        device.last_used_step = step
        fields.append("last_used_step")
    device.save(update_fields=fields)
    if method == "recovery":
        record_event(
            actor=user,
            action="twofactor.recovery_code_used",
            obj=user,
            details={"codes_left": recovery_codes_left(user)},
        )
    record_event(actor=user, action="auth.2fa_verified", obj=user, details={"method": method})
    mark_verified(request, user)
    return method, None


def _check_current_code(device: TOTPDevice, code: str) -> None:
    """For changes to a verified account's own second factor: a fresh code of its app."""
    step = matching_step(device, code)
    if step is None:
        raise ValidationError({"code": _("This code is not right, or it has been used already.")}, code="wrong_code")
    device.last_used_step = step
    device.last_used_at = timezone.now()
    device.save(update_fields=["last_used_step", "last_used_at"])


# --- self-service ----------------------------------------------------------------------


def _confirmed_device_for_update(user) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(_("Two-factor sign-in is not on for this account."), code="no_device")
    return device


def can_disable(user) -> bool:
    return not is_required(user)


@transaction.atomic
def regenerate_recovery_codes(*, user, code: str) -> list[str]:
    """Replace `user`'s recovery codes after a fresh code of its app; returns the new
    plain codes (the old ones stop working). Raises ValidationError for a wrong code."""
    device = _confirmed_device_for_update(user)
    _check_current_code(device, code)
    codes = _replace_recovery_codes(user)
    record_event(actor=user, action="twofactor.recovery_codes_regenerated", obj=user)
    return codes


@transaction.atomic
def disable(*, user, code: str) -> None:
    """Turn `user`'s second factor off after a fresh code of its app. Refused
    (PermissionDenied) for the roles that must use it."""
    if not can_disable(user):
        raise PermissionDenied
    device = _confirmed_device_for_update(user)
    _check_current_code(device, code)
    device.delete()
    RecoveryCode.objects.filter(user=user).delete()
    record_event(actor=user, action="twofactor.disable", obj=user)


# --- the security administrator ----------------------------------------------------------


def can_reset(actor, target) -> bool:
    return actor.is_authenticated and actor.role == Role.SECURITY_ADMIN and actor.pk != target.pk


@transaction.atomic
def reset(*, actor, target, reason: str = "") -> None:
    """The security administrator takes away `target`'s authenticator app and recovery
    codes (a lost phone): `target` must enrol again at its next sign-in, whatever its
    role. Every session of `target` ends too: a lost phone may still be signed in.
    Refused (PermissionDenied) to anyone else, and for one's own account (another
    security administrator must do it: nobody lowers their own protection)."""
    from security.services import end_user_sessions

    if not can_reset(actor, target):
        raise PermissionDenied
    end_user_sessions(user=target)
    TOTPDevice.objects.filter(user=target).delete()
    RecoveryCode.objects.filter(user=target).delete()
    TOTPDevice.objects.create(user=target, secret=new_secret(), enrolment_required=True)
    record_event(actor=actor, action="twofactor.reset", obj=target, reason=reason)
