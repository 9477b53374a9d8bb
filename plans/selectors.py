"""Reads of the plans app. Every one starts from Plan.objects.visible_to."""

import datetime
from dataclasses import dataclass

from plans.models import Plan, PlanComment, PlanStep


@dataclass(frozen=True)
class PlanFilters:
    """What the list of plans is narrowed to; empty values narrow nothing."""

    query: str = ""
    association: object = None  # an Organisation the viewer sees: only the plans of its subtree
    sector: str = ""
    overdue: str = ""  # "yes": with overdue steps, "no": without


def plans_for_list(user, *, campaign, today: datetime.date, filters: PlanFilters = PlanFilters()):
    """The plans of `campaign` that `user` may see, newest change first, each with its
    unit and the unit's parent, `step_count`, `done_count` and `overdue_count` (on
    `today`). One query per page, whatever the number of plans or steps."""
    plans = (
        Plan.objects.visible_to(user)
        .for_campaign(campaign)
        .select_related("unit__parent")
        # The texts of the plans are never shown in a list.
        .defer("goals", "content")
    )
    if filters.query:
        plans = plans.filter(unit__name__icontains=filters.query)
    if filters.association is not None:
        plans = plans.within_path(filters.association.path)
    if filters.sector:
        plans = plans.filter(unit__sector=filters.sector)
    if filters.overdue == "yes":
        plans = plans.with_overdue_steps(today)
    elif filters.overdue == "no":
        plans = plans.without_overdue_steps(today)
    return plans.with_step_counts().with_overdue_count(today).order_by("-updated_at", "-pk")


def plan_of(unit, campaign) -> Plan | None:
    """`unit`'s plan for `campaign`, or None when it has not written one yet."""
    return Plan.objects.filter(unit=unit, campaign=campaign).first()


def plan_for_page(user, pk: int):
    """The plan `pk` with its unit and campaign, if `user` may see it (else DoesNotExist)."""
    return Plan.objects.visible_to(user).select_related("unit__parent", "campaign").get(pk=pk)


def steps_of(plan: Plan) -> list[PlanStep]:
    return list(plan.steps.in_order())


def comments_of(plan: Plan) -> list[PlanComment]:
    """The comments on `plan`, oldest first, with their authors and their organisations."""
    return list(plan.comments.select_related("author__organisation").order_by("created_at", "pk"))


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_of(steps: list[PlanStep], today: datetime.date) -> Progress:
    """How far a plan is, from its steps already in memory (no query)."""
    return Progress(
        total=len(steps),
        done=sum(1 for step in steps if step.is_done),
        overdue=sum(1 for step in steps if step.is_overdue_on(today)),
    )


def steps_visible_to(user):
    """The steps of the plans `user` may see: every step view starts here."""
    return PlanStep.objects.filter(plan__in=Plan.objects.visible_to(user))
