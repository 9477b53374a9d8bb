from core.roles import PROVINCE_ROLES, Role
from tests.core.scope import EVERY_OBJECT
from tests.factories import make_tangshan_operator
from tests.plans.factories import make_plan, make_step


def samples(world) -> dict[str, dict]:
    """The plan of 石家庄第一中学 (the unit of the walk's unit operator, in the walk's
    association's city) with one step stands behind every URL with a key."""
    plan = make_plan(operator=world.sjz_operator)
    step = make_step(plan=plan, operator=world.sjz_operator)
    return {
        "plans:list": {},
        "plans:mine": {},
        "plans:detail": {"pk": plan.pk},
        "plans:edit": {"pk": plan.pk},
        "plans:step-create": {"pk": plan.pk},
        "plans:comment-create": {"pk": plan.pk},
        "plans:step-update": {"pk": step.pk},
        "plans:step-progress": {"pk": step.pk},
        "plans:step-delete": {"pk": step.pk},
        "plans:step-move": {"pk": step.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """The plan of a 唐山 unit, with one step, lies outside the 石家庄 association and
    outside the 石家庄 unit's operator; the province follows every plan."""
    operator = make_tangshan_operator(world, "唐山样例方案单位")
    plan = make_plan(operator=operator)
    step = make_step(plan=plan, operator=operator)
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)
    outside = {"pk": plan.pk}
    outside_step = {"pk": step.pk}
    return {
        "plans:detail": {**province, Role.ASSOCIATION: outside, Role.UNIT: outside},
        "plans:edit": {Role.UNIT: outside},
        "plans:step-create": {Role.UNIT: outside},
        "plans:comment-create": {**province, Role.ASSOCIATION: outside},
        "plans:step-update": {Role.UNIT: outside_step},
        "plans:step-progress": {Role.UNIT: outside_step},
        "plans:step-delete": {Role.UNIT: outside_step},
        "plans:step-move": {Role.UNIT: outside_step},
    }
