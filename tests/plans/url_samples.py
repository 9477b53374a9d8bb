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
