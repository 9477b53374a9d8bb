from audit.services import record_event


def samples(world) -> dict[str, dict]:
    record = record_event(actor=world.province_staff, action="tests.sample", obj=world.sjz_unit)
    return {
        "audit:record-list": {},
        "audit:record-detail": {"pk": record.pk},
        "audit:record-export": {},
        "audit:verify": {},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """The audit administrator reads every record of the log (tests/core/test_scope_walk.py)."""
    from core.roles import Role
    from tests.core.scope import EVERY_OBJECT

    return {"audit:record-detail": {Role.AUDIT_ADMIN: EVERY_OBJECT}}
