from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInThrottleQuerySet(models.QuerySet):
    def locked(self, *, now=None):
        """Throttles whose lock still holds."""
        return self.filter(locked_until__gt=now or timezone.now())


class SignInThrottle(models.Model):
    """A sign-in lock that holds: of an account's unknown browsers, of one account from one
    network address, of a whole address, or of one known browser of an account.

    A row appears when a lock begins (security.limits counts the failures in
    SignInFailure) and goes when it lifts: by itself at `locked_until`, or when the security
    administrator unlocks it. A lock of kind ACCOUNT means the account is under attack:
    its unknown browsers failed from several addresses or too often within an hour, while
    the browsers its owner signed in with before still sign in."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account (unknown browsers)")
        ACCOUNT_ADDRESS = "account_address", _("Account from one address")
        ADDRESS = "address", _("Network address")
        DEVICE = "device", _("Known browser of an account")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The user name as typed (ModelBackend matches it exactly), the client address, both
    # ("name address"), or the user name and the browser's number ("name #number").
    key = models.CharField(_("user name or address"), max_length=200)
    failures = models.PositiveIntegerField(_("failed sign-ins"), default=0)
    first_failure_at = models.DateTimeField(_("first failure"))
    last_failure_at = models.DateTimeField(_("last failure"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = SignInThrottleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="sign_in_throttle_unique_key")]
        indexes = [models.Index(fields=["locked_until"], name="sign_in_throttle_locked_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}"

    @property
    def under_attack(self) -> bool:
        return self.kind == self.Kind.ACCOUNT


class SignInFailure(models.Model):
    """One failed sign-in step: a wrong password, a wrong second-factor code or a wrong
    captcha. security.limits counts these rows per account, address and known browser
    within sliding windows; rows older than the longest window are dropped."""

    class Reason(models.TextChoices):
        PASSWORD = "password", _("Wrong password")
        CODE = "code", _("Wrong second-factor code")
        CAPTCHA = "captcha", _("Wrong captcha")

    username = models.CharField(_("user name"), max_length=150)
    address = models.CharField(_("address"), max_length=45, blank=True)
    # The number of the known browser (device cookie) it came from; blank for an unknown one.
    device = models.CharField(_("known browser"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "at"], name="sign_in_failure_user_idx"),
            models.Index(fields=["address", "at"], name="sign_in_failure_address_idx"),
            models.Index(fields=["device", "at"], name="sign_in_failure_device_idx"),
            models.Index(fields=["at"], name="sign_in_failure_at_idx"),
        ]

    def __str__(self):
        return f"{self.username} {self.address} {self.reason} {self.at:%Y-%m-%d %H:%M}"


class UserSessionQuerySet(models.QuerySet):
    def current(self, *, now=None):
        """Sessions neither idle past settings.SESSION_IDLE_SECONDS nor older than
        settings.SESSION_COOKIE_AGE; the others end at their next request."""
        now = now or timezone.now()
        return self.filter(
            last_seen_at__gt=now - timedelta(seconds=settings.SESSION_IDLE_SECONDS),
            signed_in_at__gt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
        )


class UserSession(models.Model):
    """One signed-in session, so that the security administrator can see who is signed
    in and end a session, and disabling an account can end all of its sessions: the
    session store (cached_db on Redis in production) cannot be searched by user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"))
    last_seen_at = models.DateTimeField(_("last seen at"))

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        indexes = [models.Index(fields=["-last_seen_at"], name="user_session_last_seen_idx")]

    def __str__(self):
        return f"{self.user} · {self.signed_in_at:%Y-%m-%d %H:%M}"
