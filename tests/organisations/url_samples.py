from core.roles import Role
from organisations.models import Status
from tests.core.scope import EVERY_OBJECT
from tests.factories import make_organisation


def samples(world) -> dict[str, dict]:
    return {
        "organisations:list": {},
        "organisations:mine": {},
        "organisations:detail": {"pk": world.sjz_unit.pk},
        "organisations:edit": {"pk": world.sjz_unit.pk},
        "organisations:create": {"parent_pk": world.changan.pk},
        "organisations:registrations": {},
        "organisations:registration-approve": {"pk": world.pending_unit.pk},
        "organisations:registration-refuse": {"pk": world.pending_unit.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """唐山's unit (and a unit of 唐山 awaiting approval) lie outside the 石家庄
    association; any unit but its own lies outside a unit operator."""
    pending = make_organisation(name="唐山待审单位", parent=world.tangshan, status=Status.PENDING)
    province = {Role.PROVINCE_ADMIN: EVERY_OBJECT, Role.PROVINCE_STAFF: EVERY_OBJECT}
    return {
        "organisations:detail": {
            **province,
            Role.ASSOCIATION: {"pk": world.ts_unit.pk},
            Role.UNIT: {"pk": world.ts_unit.pk},
        },
        "organisations:edit": {**province, Role.ASSOCIATION: {"pk": world.ts_unit.pk}},
        "organisations:create": {**province, Role.ASSOCIATION: {"parent_pk": world.tangshan.pk}},
        "organisations:registration-approve": {**province, Role.ASSOCIATION: {"pk": pending.pk}},
        "organisations:registration-refuse": {**province, Role.ASSOCIATION: {"pk": pending.pk}},
    }
