def samples(world) -> dict[str, dict]:
    return {
        "twofactor:manage": {},
        "twofactor:enrol": {},
        "twofactor:verify": {},
        "twofactor:recovery-codes": {},
        "twofactor:disable": {},
        "twofactor:user-list": {},
        "twofactor:user-reset": {"pk": world.sjz_operator.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """The security administrator resets the second factor of any account (tests/core/test_scope_walk.py)."""
    from core.roles import Role
    from tests.core.scope import EVERY_OBJECT

    return {"twofactor:user-reset": {Role.SECURITY_ADMIN: EVERY_OBJECT}}
