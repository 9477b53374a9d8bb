"""The keyed hash chain that makes the audit log tamper-evident.

Each record is sealed with HMAC-SHA256, under the key its `key_id` names, over a
canonical serialisation of its fields, its key id and the hash of the record before it
(in id order). The keys live outside the database (settings.AUDIT_HMAC_KEYS, from the
environment or a key file): someone who can write the database but does not hold the
key cannot make a seal, so a changed record cannot be sealed again, nor can the records
after it. Changing a field breaks that record's seal; removing or inserting a record
breaks the link of the next one; removing the last records shows against the chain head
and against the last anchor written outside the database (audit.anchoring). After a
retention purge the chain starts from the hash of the last record removed, which an
audit.purge record names.

Records written before the keys existed were sealed with plain SHA-256; a migration
marked them with the key id "sha256". Verification accepts such a seal only before the
first keyed record: the keyed record after them links to the last one, so they cannot
be rewritten either without breaking that link.
"""

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The fields a seal covers, in the order they are serialised. The id is not among them
# (it is given by the database after the seal is made); order and gaps are covered by
# the links instead.
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
# Records read per round trip while verifying: memory stays constant whatever the size.
CHUNK_SIZE = 2000


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


# The key id of the records sealed with plain SHA-256 before the keys existed (migration
# 0006); never the id of a configured key (audit.checks).
LEGACY_KEY_ID = "sha256"


class UnknownKey(Exception):
    """A seal names a key that is not configured (settings.AUDIT_HMAC_KEYS)."""


def canonical(record, *, prev_hash: str) -> bytes:
    """The bytes a record's seal is made of: its fields as sorted JSON (keys sorted at
    every depth, no spaces, UTF-8), the previous hash included, and the key id for a
    keyed seal (so that a record cannot be passed off as sealed with another key)."""
    values = {name: _text(getattr(record, name)) for name in SEALED_FIELDS}
    values["prev_hash"] = prev_hash
    if record.key_id != LEGACY_KEY_ID:
        values["key_id"] = record.key_id
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def key_for(key_id: str) -> bytes:
    """The configured key of `key_id`; raises UnknownKey."""
    try:
        return settings.AUDIT_HMAC_KEYS[key_id]
    except KeyError:
        raise UnknownKey(key_id) from None


def current_key_id() -> str:
    return settings.AUDIT_HMAC_KEY_ID


def mac(data: bytes, *, key_id: str) -> str:
    """HMAC-SHA256 of `data` under the key of `key_id`, in hex."""
    return hmac.new(key_for(key_id), data, hashlib.sha256).hexdigest()


def seal(record, *, prev_hash: str) -> str:
    """The seal of `record` under the key its `key_id` names (plain SHA-256 for the legacy
    id). Raises UnknownKey."""
    data = canonical(record, prev_hash=prev_hash)
    if record.key_id == LEGACY_KEY_ID:
        return hashlib.sha256(data).hexdigest()
    return mac(data, key_id=record.key_id)


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    record_id: int | None
    at: datetime | None
    problem: str  # one of the PROBLEMS keys
    expected: str = ""
    found: str = ""

    @property
    def message(self) -> str:
        return str(PROBLEMS[self.problem])


PROBLEMS = {
    "content": _("The record's content no longer matches its seal: it was changed after it was written."),
    "link": _("The record does not link to the record before it: a record before it was removed, inserted or changed."),
    "anchor": _("The first record does not link to the anchor left by the last retention purge."),
    "tail": _("The last records of the log are missing: the chain head names a later record."),
    "key": _(
        "The record is sealed with a key that is not configured, or with plain SHA-256 after the first keyed record."
    ),
    "purge": _("The log starts after records that no retention purge removed: no purge record names its start."),
    "anchored": _(
        "The record named by the last anchor kept outside the database is missing or changed: "
        "the end of the log was removed and its head set back."
    ),
    "anchor_seal": _("The last anchor kept outside the database does not carry a valid seal."),
}


@dataclass(frozen=True)
class Verification:
    checked: int
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify_chain(*, progress: Callable[[int, int], None] | None = None) -> Verification:
    """Walk the whole log in id order and return the first break, if any: each seal
    under its key, each link, the start against the last retention purge, the end
    against the chain head and against the last anchor outside the database
    (audit.anchoring). Reads in chunks (constant memory); `progress(done, total)` is
    called after every chunk."""
    from audit.anchoring import latest_anchor
    from audit.models import AuditRecord, ChainHead

    head = ChainHead.objects.filter(pk=ChainHead.ONE).first()
    start = head.anchor_hash if head else ""
    purged_up_to = head.anchor_record_id if head else None
    records = AuditRecord.objects.order_by("id")
    if purged_up_to is not None:
        records = records.filter(id__gt=purged_up_to)
    anchor = latest_anchor()
    if anchor is not None and not anchor.sealed:
        return Verification(0, Break(anchor.last_id, anchor.at, "anchor_seal", "", anchor.mac))
    # The anchored record, unless a retention purge removed it since.
    anchored = anchor if anchor and anchor.last_id and anchor.last_id > (purged_up_to or 0) else None
    anchored_found = ""
    total = records.count()
    checked = 0
    keyed_seen = False
    previous = None  # (id, hash) of the record before
    for record in _iterate(records):
        expected_prev = previous[1] if previous else start
        if record.prev_hash != expected_prev:
            problem = "link" if previous else "anchor"
            return Verification(checked, Break(record.pk, record.at, problem, expected_prev, record.prev_hash))
        if record.key_id == LEGACY_KEY_ID and keyed_seen:
            return Verification(checked, Break(record.pk, record.at, "key", current_key_id(), record.key_id))
        keyed_seen = keyed_seen or record.key_id != LEGACY_KEY_ID
        try:
            computed = seal(record, prev_hash=record.prev_hash)
        except UnknownKey:
            return Verification(checked, Break(record.pk, record.at, "key", current_key_id(), record.key_id))
        if computed != record.hash:
            return Verification(checked, Break(record.pk, record.at, "content", computed, record.hash))
        if anchored and record.pk == anchored.last_id:
            anchored_found = record.hash
        checked += 1
        previous = (record.pk, record.hash)
        if progress is not None and checked % CHUNK_SIZE == 0:
            progress(checked, total)
    last = previous[0] if previous else purged_up_to
    if head and head.last_record_id != last:
        return Verification(checked, Break(last, None, "tail", str(head.last_record_id or ""), str(last or "")))
    if anchored and anchored_found != anchored.last_hash:
        return Verification(
            checked, Break(anchored.last_id, anchored.at, "anchored", anchored.last_hash, anchored_found)
        )
    if purged_up_to is not None and not _purge_recorded(purged_up_to):
        return Verification(checked, Break(purged_up_to, None, "purge", str(purged_up_to), ""))
    if progress is not None:
        progress(checked, total)
    return Verification(checked, None)


def _purge_recorded(anchor_record_id: int) -> bool:
    """Is there a (verified) audit.purge record after the purge anchor that names it? An
    intruder who removes the first records and moves the purge anchor cannot seal one."""
    from audit.models import AuditRecord

    return AuditRecord.objects.filter(
        action="audit.purge", id__gt=anchor_record_id, details__anchor_record_id=anchor_record_id
    ).exists()


def _iterate(records) -> Iterator:
    return records.iterator(chunk_size=CHUNK_SIZE)
