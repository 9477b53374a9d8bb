from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField


class TOTPDevice(models.Model):
    """A user's authenticator app: the shared TOTP secret (RFC 6238, 30-second steps,
    6 digits), sealed at rest. One per user; it counts only once `confirmed` by a first
    code, so that a half-finished enrolment never locks anyone out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = EncryptedCharField(_("secret"), max_length=64)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The time step (Unix time // 30) of the last accepted code: a code of this step or an
    # earlier one is refused, so that a code seen over a shoulder cannot be used again.
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # Wrong codes in a row since the last right one; at TWO_FACTOR_MAX_FAILURES the
    # session is ended and the failure counts as a failed sign-in.
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    # Set when the security administrator reset the device (a lost phone): the owner must
    # enrol again at the next sign-in whatever the role.
    enrolment_required = models.BooleanField(_("enrolment required"), default=False)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self):
        return str(self.user)


class RecoveryCode(models.Model):
    """One single-use code for signing in without the phone. Only a password hash of the
    code is kept (Django's hashers): the plain codes are shown once, when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["user", "used_at"], name="recovery_code_user_idx")]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
