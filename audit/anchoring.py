"""Anchors: the chain head written outside the database, so that cutting the end of the
log off and setting the chain head back shows.

`anchor_chain_head` appends one line of JSON to settings.AUDIT_ANCHOR_FILE:

    {"at": "...", "last_id": 1234, "last_hash": "...", "key_id": "...", "mac": "..."}

`mac` is HMAC-SHA256 under the key `key_id` names (audit.chain) over the other fields,
so that the database's accounts, which hold no key, can neither forge a line nor, in
production, write the file at all (a path of the application's machine that only the
application's account writes). Verification (audit.chain.verify_chain) requires the
record named by the last line, unless a retention purge removed it since, to be in the
chain with that hash.

Anchors are written by `manage.py audit_anchor` (in `make prod` every
AUDIT_ANCHOR_SECONDS by the supervised `audit_anchor --every` process; elsewhere cron,
until the scheduler of issue 20), after each verification job and after each purge. An
anchor never goes backwards: when the chain no longer holds the record of the last
anchor, none is written, the refusal is audited and the command fails.
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import UnknownKey, current_key_id, mac
from audit.models import AuditRecord, ChainHead

# Bytes read from the end of the file at a time when looking for its last line.
TAIL_CHUNK = 4096


@dataclass(frozen=True)
class Anchor:
    at: datetime
    last_id: int | None
    last_hash: str
    key_id: str
    mac: str
    sealed: bool  # the mac verifies under the configured key


class AnchorRefused(Exception):
    """The chain no longer holds the record of the last anchor: a new anchor would bless a
    log whose end was cut off."""


def _payload(*, at: str, last_id, last_hash: str, key_id: str) -> bytes:
    values = {"at": at, "last_id": last_id, "last_hash": last_hash, "key_id": key_id}
    return json.dumps(values, sort_keys=True, separators=(",", ":")).encode()


def _last_line(path: Path) -> bytes:
    """The file's last non-empty line, read from its end (the file grows for ever)."""
    with path.open("rb") as file:
        file.seek(0, os.SEEK_END)
        position = file.tell()
        tail = b""
        while position > 0:
            step = min(TAIL_CHUNK, position)
            position -= step
            file.seek(position)
            tail = file.read(step) + tail
            lines = tail.rstrip(b"\n").split(b"\n")
            if len(lines) > 1 or position == 0:
                return lines[-1]
    return b""


def latest_anchor(path: Path | None = None) -> Anchor | None:
    """The last anchor of the file, its seal checked; None when there is none yet. A line
    that cannot be read counts as an anchor that is not sealed."""
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    try:
        line = _last_line(path)
    except FileNotFoundError:
        return None
    except OSError as error:  # there, but not readable: nothing can be compared with it
        return Anchor(at=None, last_id=None, last_hash="", key_id="", mac=str(error)[:64], sealed=False)
    if not line.strip():
        return None
    try:
        values = json.loads(line)
        at = datetime.fromisoformat(values["at"])
        last_id, last_hash, key_id, found = values["last_id"], values["last_hash"], values["key_id"], values["mac"]
        expected = mac(_payload(at=values["at"], last_id=last_id, last_hash=last_hash, key_id=key_id), key_id=key_id)
    except (ValueError, KeyError, TypeError, UnknownKey):
        return Anchor(
            at=None, last_id=None, last_hash="", key_id="", mac=line.decode(errors="replace")[:64], sealed=False
        )
    return Anchor(at=at, last_id=last_id, last_hash=last_hash, key_id=key_id, mac=found, sealed=expected == found)


def _holds(anchor: Anchor, head: ChainHead) -> bool:
    """Does the chain still hold the record of `anchor` (or did a purge remove it)?"""
    if not anchor.sealed:
        return False
    if anchor.last_id is None:
        return True
    if head.anchor_record_id is not None and anchor.last_id <= head.anchor_record_id:
        return True
    return AuditRecord.objects.filter(pk=anchor.last_id, hash=anchor.last_hash).exists()


def anchor_chain_head(*, path: Path | None = None) -> Anchor:
    """Append the chain head to the anchor file (creating it, and its folder, when
    missing) and return the new anchor. Raises AnchorRefused, after auditing the refusal
    as a failed audit.anchor, when the chain no longer holds the last anchor's record."""
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    with transaction.atomic():
        head = ChainHead.objects.filter(pk=ChainHead.ONE).first() or ChainHead(pk=ChainHead.ONE)
        previous = latest_anchor(path)
        if previous is not None and not _holds(previous, head):
            refused = True
        else:
            refused = False
            at = timezone.now().isoformat(timespec="microseconds")
            key_id = current_key_id()
            payload = _payload(at=at, last_id=head.last_record_id, last_hash=head.last_hash, key_id=key_id)
            seal = mac(payload, key_id=key_id)
            line = json.dumps({**json.loads(payload), "mac": seal}, sort_keys=True, separators=(",", ":"))
            _append(path, line)
    if refused:
        _audit_refusal(previous, head)
        raise AnchorRefused(f"the chain no longer holds record {previous.last_id} of the last anchor")
    return Anchor(
        at=datetime.fromisoformat(at),
        last_id=head.last_record_id,
        last_hash=head.last_hash,
        key_id=key_id,
        mac=seal,
        sealed=True,
    )


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: several writers (workers, the command) never overwrite each other's line.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _audit_refusal(previous: Anchor, head: ChainHead) -> None:
    from audit.services import record_event

    with transaction.atomic():
        record_event(
            actor=None,
            action="audit.anchor",
            result=AuditRecord.Result.FAILED,
            details={
                "anchored_record_id": previous.last_id,
                "anchored_at": previous.at.isoformat() if previous.at else "",
                "head_record_id": head.last_record_id,
            },
        )
