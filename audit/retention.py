"""Keeping audit records for AUDIT_RETENTION_DAYS (never fewer than 180: core.checks)
and purging the ones past it, the only way a record ever leaves the log."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import AuditRecord
from audit.services import lock_chain_head, record_event

MINIMUM_RETENTION_DAYS = 180
# Records removed per transaction: each batch holds the chain's lock only briefly.
PURGE_BATCH = 5000


@dataclass(frozen=True)
class Purge:
    deleted: int
    anchor_record_id: int | None


def retention_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def purge_expired(*, actor=None, now=None) -> Purge:
    """Delete the records older than the retention, oldest first, and only a prefix of
    the chain: every record before the first one still within the retention, none
    after it. The chain head keeps the hash of the last record deleted as its anchor,
    so the remaining chain still verifies. Audited as audit.purge (one record, written
    after the deletion, so that it is never purged by the run that records it)."""
    cutoff = retention_cutoff(now)
    # Everything before the first record still within the retention is past it (ids
    # follow time: both are given under the chain's lock).
    keep_from = AuditRecord.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    expired = AuditRecord.objects.order_by("id")
    if keep_from is not None:
        expired = expired.filter(id__lt=keep_from)
    deleted, anchor_id = 0, None
    while True:
        with transaction.atomic():
            head = lock_chain_head()
            batch = list(expired.values_list("id", "hash", "at")[:PURGE_BATCH])
            if not batch:
                break
            last_id, last_hash, last_at = batch[-1]
            _allow_purge_in_this_transaction()
            # The base QuerySet: AuditRecordQuerySet refuses deletes everywhere else.
            models.QuerySet(AuditRecord).filter(id__lte=last_id, id__gte=batch[0][0]).delete()
            head.anchor_hash, head.anchor_record_id, head.anchor_at = last_hash, last_id, last_at
            head.purged_at = timezone.now()
            head.save(update_fields=["anchor_hash", "anchor_record_id", "anchor_at", "purged_at"])
            deleted += len(batch)
            anchor_id = last_id
    with transaction.atomic():
        record_event(
            actor=actor,
            action="audit.purge",
            details={
                "deleted": deleted,
                "before": cutoff.isoformat(),
                "retention_days": settings.AUDIT_RETENTION_DAYS,
                "anchor_record_id": anchor_id,
            },
        )
    return Purge(deleted=deleted, anchor_record_id=anchor_id)


def _allow_purge_in_this_transaction() -> None:
    """Open the PostgreSQL trigger's one door (audit.purge) until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL audit.purge = 'on'")
