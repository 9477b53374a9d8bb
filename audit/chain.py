"""The hash chain that makes the audit log tamper-evident.

Each record is sealed with SHA-256 over a canonical serialisation of its fields and of
the hash of the record before it (in id order). Changing a field breaks that record's
seal; removing or inserting a record breaks the link of the next one; removing the last
records shows against the chain head. After a retention purge the chain starts from
the anchor the purge stored: the hash of the last record it removed.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

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


def canonical(record, *, prev_hash: str) -> bytes:
    """The bytes a record's seal is made of: its fields as sorted JSON (keys sorted at
    every depth, no spaces, UTF-8), the previous hash included."""
    values = {name: _text(getattr(record, name)) for name in SEALED_FIELDS}
    values["prev_hash"] = prev_hash
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def seal(record, *, prev_hash: str) -> str:
    return hashlib.sha256(canonical(record, prev_hash=prev_hash)).hexdigest()


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
}


@dataclass(frozen=True)
class Verification:
    checked: int
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify_chain(*, progress: Callable[[int, int], None] | None = None) -> Verification:
    """Walk the whole log in id order and return the first break, if any. Reads in
    chunks (constant memory); `progress(done, total)` is called after every chunk."""
    from audit.models import AuditRecord, ChainHead

    head = ChainHead.objects.filter(pk=ChainHead.ONE).first()
    anchor = head.anchor_hash if head else ""
    records = AuditRecord.objects.order_by("id")
    if head and head.anchor_record_id is not None:
        records = records.filter(id__gt=head.anchor_record_id)
    total = records.count()
    checked = 0
    previous = None  # (id, hash) of the record before
    for record in _iterate(records):
        expected_prev = previous[1] if previous else anchor
        if record.prev_hash != expected_prev:
            problem = "link" if previous else "anchor"
            return Verification(checked, Break(record.pk, record.at, problem, expected_prev, record.prev_hash))
        computed = seal(record, prev_hash=record.prev_hash)
        if computed != record.hash:
            return Verification(checked, Break(record.pk, record.at, "content", computed, record.hash))
        checked += 1
        previous = (record.pk, record.hash)
        if progress is not None and checked % CHUNK_SIZE == 0:
            progress(checked, total)
    last = previous[0] if previous else (head.anchor_record_id if head else None)
    if head and head.last_record_id != last:
        return Verification(checked, Break(last, None, "tail", str(head.last_record_id or ""), str(last or "")))
    if progress is not None:
        progress(checked, total)
    return Verification(checked, None)


def _iterate(records) -> Iterator:
    return records.iterator(chunk_size=CHUNK_SIZE)
