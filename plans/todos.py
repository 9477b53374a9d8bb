"""What waits in a unit's creation plan (core.todos): the plan to make, its overdue
steps, and the next step due."""

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.selectors import current_campaign
from core.roles import Role
from core.todos import Todo, provides
from plans.models import OPEN_STEP_STATUSES, Plan, PlanStep

# Overdue steps listed one by one; beyond this they are counted in one item.
OVERDUE_SHOWN = 5


@provides(Role.UNIT)
def unit_plan(user, today):
    campaign = current_campaign()
    if campaign is None:
        return
    plan = Plan.objects.visible_to(user).for_campaign(campaign).first()
    if plan is None:
        # Past planning once it applied: the application's own steps lead from there.
        if user.organisation.applications.filter(campaign=campaign, submitted_at__isnull=False).exists():
            return
        yield Todo(
            key="plans.create",
            text=_("Make your unit's creation plan: content, steps and deadlines"),
            url=reverse("plans:mine"),
        )
        return
    url = reverse("plans:detail", args=[plan.pk])
    open_steps = PlanStep.objects.filter(plan=plan, status__in=OPEN_STEP_STATUSES).order_by("deadline", "order")
    overdue = open_steps.filter(deadline__lt=today)
    for step in overdue[:OVERDUE_SHOWN]:
        yield _step_todo(step, url, key="plans.step_overdue", text=_("Plan step overdue: %(step)s"), overdue=True)
    more = overdue.count() - OVERDUE_SHOWN
    if more > 0:
        yield Todo(key="plans.more_overdue", text=_("More overdue plan steps"), url=url, count=more, overdue=True)
    step = open_steps.filter(deadline__gte=today).first()
    if step is not None:
        yield _step_todo(step, url, key="plans.step_next", text=_("Next plan step: %(step)s"), overdue=False)


def _step_todo(step, url, *, key, text, overdue) -> Todo:
    return Todo(
        key=key,
        text=text % {"step": step.title},
        url=url,
        since=step.deadline,
        detail=_("Due on %(day)s · %(owner)s") % {"day": step.deadline.isoformat(), "owner": step.owner},
        overdue=overdue,
    )
