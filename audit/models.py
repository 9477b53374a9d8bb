from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.records import WrittenOnce


class AuditRecordIsPermanent(Exception):
    """An attempt to change or delete an audit record from the application."""


class AuditRecordQuerySet(models.QuerySet):
    """Audit records are only ever inserted: bulk updates and deletes are refused here,
    and (on PostgreSQL) by a database trigger below the ORM. The one door is the
    retention purge, audit.retention.purge_expired (on PostgreSQL through the database
    function audit_purge_expired, migration 0006)."""

    def update(self, **kwargs):
        raise AuditRecordIsPermanent("audit records cannot be changed")

    def delete(self):
        raise AuditRecordIsPermanent("audit records cannot be deleted; see audit.retention")

    def bulk_update(self, *args, **kwargs):
        raise AuditRecordIsPermanent("audit records cannot be changed")

    # Nothing inserts in bulk (each row needs its link in the chain): closed too.
    def bulk_create(self, *args, **kwargs):
        raise AuditRecordIsPermanent("audit records are inserted one by one through audit.services.record_event")


class AuditRecord(WrittenOnce):
    """One thing that happened: who, when, from where, to what, with which result.

    Rows are only ever inserted (audit.services.record_event), each one sealed with
    `hash`: HMAC-SHA256 under the key `key_id` names, over its fields and the hash of the
    record before it (`prev_hash`), so that a changed, removed or inserted row breaks the
    chain (audit.chain). The application has no path that edits or deletes them.
    """

    rewrite_error = AuditRecordIsPermanent
    rewrite_message = "audit records cannot be changed"

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    # Set by record_event under the chain's lock (not auto_now_add, which would change
    # it after the seal is made).
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT: a user who acted keeps existing (accounts are disabled, not deleted), or
    # the record would lose its actor and, with it, its seal.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous record's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    # Which key of settings.AUDIT_HMAC_KEYS sealed the record ("sha256": a record sealed
    # before the keys existed, audit.chain.LEGACY_KEY_ID). The key itself is never stored.
    key_id = models.CharField(_("key id"), max_length=32, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor_name", "-at"], name="audit_actor_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def delete(self, *args, **kwargs):
        raise AuditRecordIsPermanent("audit records cannot be deleted; see audit.retention")

    @property
    def action_label(self) -> str:
        from audit.labels import action_label

        return action_label(self.action, self.object_type)

    @property
    def from_state_label(self) -> str:
        from audit.labels import state_label

        return state_label(self.object_type, self.from_state)

    @property
    def to_state_label(self) -> str:
        from audit.labels import state_label

        return state_label(self.object_type, self.to_state)

    @property
    def actor_role_label(self) -> str:
        """The role's name as users read it (the stored value when no longer a role)."""
        from core.roles import Role

        return str(dict(Role.choices).get(self.actor_role, self.actor_role))


class ChainHead(models.Model):
    """The one row (pk=1) that holds the end of the chain and, after a purge, its start.

    Appending to the chain locks this row (select_for_update), so that application
    servers inserting at the same moment link their records one after the other.
    `anchor_hash` is the hash of the last purged record: verification starts from it."""

    ONE = 1

    last_hash = models.CharField(max_length=64, blank=True)
    last_record_id = models.BigIntegerField(null=True, blank=True)
    anchor_hash = models.CharField(max_length=64, blank=True)
    anchor_record_id = models.BigIntegerField(null=True, blank=True)
    anchor_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="audit_chain_head_single_row")]

    def __str__(self):
        return f"chain head at #{self.last_record_id}"
