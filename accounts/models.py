from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField
from core.roles import IT_ROLES, PROVINCE_ROLES, Role
from organisations.scoping import subtree_q


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The accounts `user` may see: all for the province and the system
        administrator, those of its subtree for an association, itself otherwise."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES or user.role == Role.SYSTEM_ADMIN:
            return self
        if user.role == Role.ASSOCIATION and user.organisation_id:
            return self.filter(subtree_q(user.organisation.path, prefix="organisation__"))
        return self.filter(pk=user.pk)


class PlatformUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField(_("full name"), max_length=50, blank=True)
    # Sealed at rest, shown masked; core.pii says who may see it whole (PIPL).
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True)
    # Set when someone else chose the password (a new account, a reset, an import): the
    # owner must change it at the next sign-in (settings.PASSWORD_CHANGE_AT_FIRST_SIGN_IN).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # When the password was last set; empty for accounts older than the rule, which count
    # from date_joined (settings.PASSWORD_MAX_AGE_DAYS).
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # The language the person last chose in the platform: its notifications and e-mails are
    # written in it, whoever caused them.
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE, editable=False
    )

    objects = PlatformUserManager()

    REQUIRED_FIELDS = ["email", "role", "organisation"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_province(self) -> bool:
        return self.role in PROVINCE_ROLES

    def clean(self):
        # On every path that sets a role through a form or full_clean (the platform's
        # pages, the Django admin, the imports): the role must fit the organisation.
        super().clean()
        from accounts.permissions import role_fits_organisation

        if self.role and self.organisation_id and not role_fits_organisation(self.role, self.organisation):
            raise ValidationError({"role": _("This role does not fit this kind of organisation.")})


class RoleGrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The three administrators see every request (they approve them); whoever asks
        sees its own requests; nobody else any."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in IT_ROLES:
            return self
        return self.filter(requested_by=user)

    def pending(self):
        return self.filter(status=RoleGrant.Status.PENDING)


class RoleGrant(models.Model):
    """A change of a privileged account that one administrator asked for and that takes
    effect only when a second administrator of another of the three roles approves it
    (三员分立, accounts.grants)."""

    class Kind(models.TextChoices):
        ENABLE = "enable", _("Enable an account with this role")
        ROLE = "role", _("Change the role")
        PASSWORD = "password", _("Reset the password")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="role_grants")
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    from_role = models.CharField(_("role before"), max_length=32, choices=Role.choices, blank=True)
    to_role = models.CharField(_("role after"), max_length=32, choices=Role.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        User, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="role_grants_requested"
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="role_grants_decided",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("privileged account change")
        verbose_name_plural = _("privileged account changes")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_grant_per_account"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.get_to_role_display()}"


class PasswordHistory(models.Model):
    """The hashes of a user's latest passwords, so that a new password cannot be one of
    them (accounts.password_validation.PasswordHistoryValidator keeps and reads them)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password"), max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_idx")]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
