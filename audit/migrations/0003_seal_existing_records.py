"""Seal the records written before the chain existed, in id order, and set the chain
head. Batched: a large log is read and written a chunk at a time. Reversible (the
seals are emptied and the head removed)."""

import hashlib
import json
from datetime import UTC

from django.db import migrations

BATCH = 2000
# A copy of audit.chain's serialisation as it was when this migration was written:
# migrations must not change when the code they once used does.
SEALED_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "from_state",
    "to_state",
    "reason",
    "result",
    "details",
)


def _seal(record, prev_hash):
    values = {}
    for name in SEALED_FIELDS:
        value = getattr(record, name)
        if name == "at":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        values[name] = value
    values["prev_hash"] = prev_hash
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def seal_existing(apps, schema_editor):
    AuditRecord = apps.get_model("audit", "AuditRecord")
    ChainHead = apps.get_model("audit", "ChainHead")
    prev, last_id, after = "", None, 0
    while True:
        batch = list(AuditRecord.objects.filter(id__gt=after).order_by("id")[:BATCH])
        if not batch:
            break
        for record in batch:
            record.prev_hash = prev
            record.hash = prev = _seal(record, prev)
            last_id = record.id
        AuditRecord.objects.bulk_update(batch, ["prev_hash", "hash"])
        after = last_id
    ChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "last_record_id": last_id})


def unseal(apps, schema_editor):
    apps.get_model("audit", "AuditRecord").objects.update(prev_hash="", hash="")
    apps.get_model("audit", "ChainHead").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_seal_and_head")]

    operations = [migrations.RunPython(seal_existing, unseal)]
