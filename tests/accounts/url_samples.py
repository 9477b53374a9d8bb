from core.roles import Role
from tests.core.scope import EVERY_OBJECT


def samples(world) -> dict[str, dict]:
    return {
        "accounts:login": {},
        "accounts:logout": {},
        "accounts:password-change": {},
        "accounts:password-change-done": {},
        "accounts:register": {},
        "accounts:register-done": {},
        "accounts:user-list": {},
        "accounts:user-detail": {"pk": world.sjz_operator.pk},
        "accounts:user-edit": {"pk": world.sjz_operator.pk},
        "accounts:user-set-active": {"pk": world.sjz_operator.pk},
        "accounts:user-password-reset": {"pk": world.sjz_operator.pk},
        "accounts:user-create": {"organisation_pk": world.sjz_unit.pk},
        "accounts:grant-list": {},
        "accounts:grant-approve": {"pk": _grant(world, world.province_admin).pk},
        "accounts:grant-reject": {"pk": _grant(world, world.province_admin).pk},
    }


def _grant(world, asker):
    """A privileged change `asker` asked for (one per asker: one pending per account)."""
    from accounts.models import RoleGrant
    from tests.factories import make_user

    existing = RoleGrant.objects.filter(requested_by=asker).first()
    if existing:
        return existing
    target = make_user(role=Role.INSPECTOR, organisation=world.province)
    return RoleGrant.objects.create(
        user=target, kind=RoleGrant.Kind.ROLE, from_role=Role.INSPECTOR, to_role=Role.PROVINCE_STAFF, requested_by=asker
    )


def out_of_scope_samples(world) -> dict[str, dict]:
    """The 石家庄 association manages the accounts of its own city only: 唐山's unit
    operator and units lie outside it. The province and the system administrator see all."""
    account = {
        Role.PROVINCE_ADMIN: EVERY_OBJECT,
        Role.PROVINCE_STAFF: EVERY_OBJECT,
        Role.SYSTEM_ADMIN: EVERY_OBJECT,
        Role.ASSOCIATION: {"pk": world.ts_operator.pk},
    }
    return {
        "accounts:user-detail": account,
        "accounts:user-edit": account,
        "accounts:user-set-active": account,
        "accounts:user-password-reset": account,
        "accounts:user-create": {**account, Role.ASSOCIATION: {"organisation_pk": world.ts_unit.pk}},
        # The three administrators see every request; whoever asks sees its own only.
        **{
            name: dict.fromkeys((Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN), EVERY_OBJECT)
            for name in ("accounts:grant-approve", "accounts:grant-reject")
        },
    }
