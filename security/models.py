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
    """Failed sign-ins counted for one user name or one client address.

    A row appears at the first failure; at settings.LOGIN_LOCK_FAILURES failures within
    settings.LOGIN_LOCK_MINUTES the key is locked for LOGIN_LOCK_MINUTES. Accounts and
    addresses are counted apart, so that guessing one account from many addresses and
    many accounts from one address are both stopped (security.services)."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account")
        ADDRESS = "address", _("Network address")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The user name as typed (ModelBackend matches it exactly), or the client address.
    key = models.CharField(_("user name or address"), max_length=150)
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
