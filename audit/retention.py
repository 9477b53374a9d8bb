"""Keeping audit records for AUDIT_RETENTION_DAYS (never fewer than 180: core.checks)
and purging the ones past it, the only way a record ever leaves the log."""

import contextlib
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
    so the remaining chain still verifies. Each batch is audited as audit.purge in its
    own transaction (details: how many, and the anchor, which verification requires a
    purge record to name), or once with nothing deleted; then the head is anchored
    outside the database (audit.anchoring).

    On PostgreSQL the rows go through the database function audit_purge_expired
    (migration 0006), the only way the database lets them go, which itself refuses
    records younger than the retention; on SQLite through the plain QuerySet."""
    from audit.anchoring import AnchorRefused, anchor_chain_head

    cutoff = retention_cutoff(now)
    # Everything before the first record still within the retention is past it (ids
    # follow time: both are given under the chain's lock); nothing written after the
    # start, such as this purge's own records, is ever in reach.
    keep_from = AuditRecord.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    expired = AuditRecord.objects.filter(at__lt=cutoff).order_by("id")
    if keep_from is not None:
        expired = expired.filter(id__lt=keep_from)
    up_to = expired.order_by("-id").values_list("id", flat=True).first()
    deleted, anchor_id = 0, None
    while up_to is not None:
        with transaction.atomic():
            head = lock_chain_head()
            batch = list(
                AuditRecord.objects.filter(id__lte=up_to).order_by("id").values_list("id", "hash", "at")[:PURGE_BATCH]
            )
            if not batch:
                break
            last_id, last_hash, last_at = batch[-1]
            removed = _delete_up_to(last_id)
            head.anchor_hash, head.anchor_record_id, head.anchor_at = last_hash, last_id, last_at
            head.purged_at = timezone.now()
            head.save(update_fields=["anchor_hash", "anchor_record_id", "anchor_at", "purged_at"])
            _record_purge(actor=actor, cutoff=cutoff, deleted=removed, anchor_id=last_id)
            deleted += removed
            anchor_id = last_id
    if anchor_id is None:
        with transaction.atomic():
            _record_purge(actor=actor, cutoff=cutoff, deleted=0, anchor_id=None)
    # A refusal is audited by anchor_chain_head; the purge itself is done.
    with contextlib.suppress(AnchorRefused):
        anchor_chain_head()
    return Purge(deleted=deleted, anchor_record_id=anchor_id)


def _record_purge(*, actor, cutoff, deleted: int, anchor_id) -> None:
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


def _delete_up_to(last_id: int) -> int:
    """Delete the records up to `last_id`; how many went."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_purge_expired(%s, %s)", [last_id, settings.AUDIT_RETENTION_DAYS])
            return cursor.fetchone()[0]
    # The base QuerySet: AuditRecordQuerySet refuses deletes everywhere else.
    return models.QuerySet(AuditRecord).filter(id__lte=last_id).delete()[0]
