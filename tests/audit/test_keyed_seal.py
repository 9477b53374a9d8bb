"""Records are sealed with HMAC-SHA256 under a key kept outside the database: an intruder
who can write the database but holds no key cannot rewrite a record and seal the chain
again. Keys rotate (older records verify with the key they name); records of the time
before the keys were sealed with plain SHA-256 and are accepted only before the first
keyed record."""

import hashlib
import json
from datetime import UTC

import pytest

from audit.chain import verify_chain
from audit.models import AuditRecord
from audit.services import record_event
from tests.audit.tampering import raw_sql

# The serialisation as an intruder would reproduce it from the published code (the chain
# of before: plain SHA-256, no key id), written here independently of audit.chain.
FIELDS = (
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
OLD_KEY = b"o" * 32
NEW_KEY = b"n" * 32


def sha256_seal(values: dict, prev_hash: str) -> str:
    data = {name: values[name] for name in FIELDS}
    data["at"] = data["at"].astimezone(UTC).isoformat(timespec="microseconds")
    data["prev_hash"] = prev_hash
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def write_records(world, count):
    return [
        record_event(actor=world.province_staff, action="tests.event", obj=world.sjz_unit, details={"n": n})
        for n in range(count)
    ]


def rewrite_and_reseal(first_id: int, *, actor, mark_legacy: bool) -> None:
    """What an intruder with the database's keys does: rewrite two records to another
    actor and seal them and every record after them again with plain SHA-256."""
    rows = list(AuditRecord.objects.filter(id__gte=first_id).order_by("id").values())
    prev = rows[0]["prev_hash"]
    with_actor = {rows[0]["id"], rows[1]["id"]}
    for row in rows:
        if row["id"] in with_actor:
            row.update(actor_id=actor.pk, actor_name=actor.username, actor_role=actor.role)
        row["hash"] = sha256_seal(row, prev)
        raw_sql(
            "UPDATE audit_auditrecord SET actor_id = %s, actor_name = %s, actor_role = %s, prev_hash = %s, "
            "hash = %s, key_id = %s WHERE id = %s",
            [
                row["actor_id"],
                row["actor_name"],
                row["actor_role"],
                prev,
                row["hash"],
                "sha256" if mark_legacy else row["key_id"],
                row["id"],
            ],
        )
        prev = row["hash"]
    raw_sql("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])


@pytest.mark.parametrize("mark_legacy", [False, True], ids=["keeping-key-id", "marked-sha256"])
def test_rewriting_two_records_and_resealing_the_rest_is_found(world, mark_legacy):
    records = write_records(world, 6)
    rewrite_and_reseal(records[2].pk, actor=world.sjz_operator, mark_legacy=mark_legacy)
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[2].pk, "key" if mark_legacy else "content")


def test_records_name_the_current_key(world, settings):
    settings.AUDIT_HMAC_KEYS = {"k1": OLD_KEY}
    settings.AUDIT_HMAC_KEY_ID = "k1"
    record = record_event(actor=world.province_staff, action="tests.event")
    assert AuditRecord.objects.get(pk=record.pk).key_id == "k1"


def test_records_sealed_with_a_rotated_key_still_verify(world, settings):
    settings.AUDIT_HMAC_KEYS = {"k1": OLD_KEY}
    settings.AUDIT_HMAC_KEY_ID = "k1"
    old = write_records(world, 3)
    settings.AUDIT_HMAC_KEYS = {"k2": NEW_KEY, "k1": OLD_KEY}
    settings.AUDIT_HMAC_KEY_ID = "k2"
    new = write_records(world, 2)
    assert {r.key_id for r in old} == {"k1"}
    assert {r.key_id for r in new} == {"k2"}
    assert verify_chain().first_break is None


def test_a_record_whose_key_is_no_longer_configured_is_reported(world, settings):
    settings.AUDIT_HMAC_KEYS = {"k1": OLD_KEY}
    settings.AUDIT_HMAC_KEY_ID = "k1"
    old = write_records(world, 2)
    settings.AUDIT_HMAC_KEYS = {"k2": NEW_KEY}
    settings.AUDIT_HMAC_KEY_ID = "k2"
    write_records(world, 1)
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (old[0].pk, "key")


def test_a_seal_made_with_another_key_under_the_same_id_is_reported(world, settings):
    records = write_records(world, 2)
    settings.AUDIT_HMAC_KEYS = {settings.AUDIT_HMAC_KEY_ID: NEW_KEY}
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[0].pk, "content")


def legacy_records(world, count):
    """Records as the chain of before sealed them: plain SHA-256, key id "sha256"."""
    records = write_records(world, count)
    rows = list(AuditRecord.objects.filter(id__gte=records[0].pk).order_by("id").values())
    prev = rows[0]["prev_hash"]
    for row in rows:
        row["hash"] = sha256_seal(row, prev)
        raw_sql(
            "UPDATE audit_auditrecord SET prev_hash = %s, hash = %s, key_id = 'sha256' WHERE id = %s",
            [prev, row["hash"], row["id"]],
        )
        prev = row["hash"]
    raw_sql("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])
    return records


def test_legacy_sha256_records_before_the_first_keyed_one_verify(world):
    assert not AuditRecord.objects.exists()
    legacy_records(world, 3)
    write_records(world, 2)
    assert verify_chain().first_break is None


def test_a_legacy_sha256_record_after_a_keyed_one_is_reported(world):
    keyed = write_records(world, 2)
    legacy = legacy_records(world, 2)
    broken = verify_chain().first_break
    assert keyed
    assert (broken.record_id, broken.problem) == (legacy[0].pk, "key")
