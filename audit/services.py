from decimal import Decimal

from django.db import models

from audit.models import AuditRecord
from core.middleware import current_ip


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
    """Insert one audit row. Call it inside the transaction of the change it records,
    so that the change and its trace commit or roll back together."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditRecord.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        ip=current_ip.get() or None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        result=result,
        details=details or {},
    )


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
            changed[name] = [as_audit_text(getattr(obj, name)), as_audit_text(values[name])]
            setattr(obj, name, values[name])
    return changed
