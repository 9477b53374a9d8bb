import ipaddress
import json
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import current_key_id, seal
from audit.models import AuditRecord, ChainHead
from core.middleware import current_ip
from core.pii import mask_for


def lock_chain_head() -> ChainHead:
    """Lock the chain head row until the end of the current transaction (creating it
    if a flushed test database lost it). Every append and the purge go through here,
    so records are linked one after the other even with several servers inserting."""
    head = ChainHead.objects.select_for_update().filter(pk=ChainHead.ONE).first()
    if head is None:
        ChainHead.objects.bulk_create([ChainHead(pk=ChainHead.ONE)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=ChainHead.ONE)
    return head


def _lock_last_hash() -> str:
    """The hash at the end of the chain, its head row locked to the end of the
    transaction. Plain SQL: this runs for every audit record, and building the ORM's
    query cost more than running it."""
    sql = "SELECT last_hash FROM audit_chainhead WHERE id = %s"
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [ChainHead.ONE])
        row = cursor.fetchone()
    if row is None:
        return lock_chain_head().last_hash
    return row[0]


def _move_head(record: AuditRecord) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_chainhead SET last_hash = %s, last_record_id = %s WHERE id = %s",
            [record.hash, record.pk, ChainHead.ONE],
        )


def _valid_ip(value: str | None) -> str | None:
    """The address as the database stores it, or None for one that is not an address
    (a forged X-Forwarded-For must not stop the record, nor the request)."""
    if not value:
        return None
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return None
    return AuditRecord._meta.get_field("ip").get_prep_value(value)


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    result: str = AuditRecord.Result.SUCCESS,
    details: dict | None = None,
) -> AuditRecord:
    """Insert one audit row, sealed under the current key and linked to the one before
    (audit.chain). Call it
    inside the transaction of the change it records, so that the change and its trace
    commit or roll back together, and as late in it as is natural: the chain head stays
    locked from here to the commit, and other writers of audit rows wait for it."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    record = AuditRecord(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        ip=current_ip.get() or None,
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        from_state=str(from_state),
        to_state=str(to_state),
        reason=str(reason),
        result=str(result),
        details=details or {},
        key_id=current_key_id(),
    )
    # The values as the database will give them back, so that the seal can be checked later.
    record.ip = _valid_ip(record.ip)
    record.details = json.loads(json.dumps(record.details))
    # No savepoint: a failed append fails the caller's transaction anyway (a change
    # without its trace must not commit), and two round trips fewer per record.
    with transaction.atomic(savepoint=False):
        record.prev_hash = _lock_last_hash()
        # The time is taken under the lock, so that time order is chain order.
        record.at = timezone.now()
        record.hash = seal(record, prev_hash=record.prev_hash)
        record.save()
        _move_head(record)
    return record


def as_audit_text(value) -> str:
    """A value as the audit log shows it: None as empty, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def apply_changes(obj, *, names, values: dict) -> dict[str, list[str]]:
    """Set on `obj` each field of `names` that `values` gives a different value; return
    what changed as {field: [before, after]} for the audit record. Saves nothing."""
    changed = {}
    for name in names:
        if name in values and getattr(obj, name) != values[name]:
            # A personal number goes into the log masked: reading the log is no way round
            # the audited unmask (core.pii).
            shown = mask_for(obj, name) or as_audit_text
            changed[name] = [shown(getattr(obj, name)), shown(values[name])]
            setattr(obj, name, values[name])
    return changed
