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
