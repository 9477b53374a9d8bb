from core.roles import PROVINCE_ROLES, Role
from tests.core.scope import EVERY_OBJECT


def samples(world) -> dict[str, dict]:
    return {
        "set_language": {},
        "home:index": {},
        "core:text-size": {},
        "core:healthz": {},
        "core:readyz": {},
        "core:personal-number-unmask": {"key": "organisation-phone", "pk": world.sjz_unit.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A 唐山 unit's contact phone: outside the 石家庄 association and unit (404), outside
    every role without organisations (404); the system administrator sees the unit but
    may not read its number (403); the province may read every unit's."""
    outside = {"key": "organisation-phone", "pk": world.ts_unit.pk}
    return {
        "core:personal-number-unmask": {
            **dict.fromkeys(Role.values, outside),
            **dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT),
        },
    }
