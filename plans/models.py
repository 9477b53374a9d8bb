"""Creation plans (创建计划): step (一) 对标创建 of the notice.

A unit writes one plan per campaign (goals, content) and breaks it into steps, each with
a deadline, a person responsible and a status; its association follows the plans of its
area and comments on them. Writes go through plans.services only.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.scoping import in_unit_scope, subtree_q


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("plan step status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("plan step status", "In progress")
    DONE = "done", pgettext_lazy("plan step status", "Done")


# The statuses of a step that still has work to do: such a step is overdue once its deadline has passed.
OPEN_STEP_STATUSES = frozenset({StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS})


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Steps whose deadline lies before `today` and that are not done. One definition,
    used by every count, filter and highlight of the app."""
    return Q(**{f"{prefix}deadline__lt": today}) & ~Q(**{f"{prefix}status": StepStatus.DONE})


def _count_of_steps(condition: Q | None = None):
    """A correlated COUNT of the steps of the outer plan (0 when there are none).

    A subquery rather than a JOIN with GROUP BY: the paginator's COUNT then drops it,
    and the list stays one query per page whatever the number of steps."""
    steps = PlanStep.objects.filter(plan=OuterRef("pk"))
    if condition is not None:
        steps = steps.filter(condition)
    counted = steps.order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The plans `user` may see: every plan for the province; the plans of the units
        in its own subtree for an association; its own unit's plans for a unit operator;
        nothing for anyone else (inspectors and the IT roles have no business here).
        Every page, fragment and count of the app starts here."""
        return in_unit_scope(self, user)

    def for_campaign(self, campaign):
        return self.filter(campaign=campaign)

    def within_path(self, path: str):
        """The plans of the units at or below the organisation with this `path`."""
        return self.filter(subtree_q(path, prefix="unit__"))

    def with_step_counts(self):
        """Annotate `step_count` and `done_count`, without a query per row."""
        return self.annotate(step_count=_count_of_steps(), done_count=_count_of_steps(Q(status=StepStatus.DONE)))

    def with_overdue_count(self, today: datetime.date):
        """Annotate `overdue_count`: the steps past their deadline on `today` and not done."""
        return self.annotate(overdue_count=_count_of_steps(overdue_q(today)))

    def with_overdue_steps(self, today: datetime.date):
        """Only the plans with at least one overdue step on `today`."""
        return self.filter(Exists(PlanStep.objects.filter(overdue_q(today), plan=OuterRef("pk"))))

    def without_overdue_steps(self, today: datetime.date):
        return self.exclude(Exists(PlanStep.objects.filter(overdue_q(today), plan=OuterRef("pk"))))


class Plan(models.Model):
    """A unit's creation plan for one campaign: what it aims at and what it will do.

    At most one per unit and campaign (a UniqueConstraint: two concurrent "create"
    clicks cannot make two). `updated_at` moves whenever the plan or one of its steps
    changes, so that "last updated" tells the association when the unit last worked on
    it; comments do not move it (they are the association's, not the unit's progress).
    """

    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"kind": "unit"},
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="plans"
    )
    goals = models.TextField(_("goals"), help_text=_("What the unit means to achieve by the end of the campaign."))
    content = models.TextField(
        _("content"), help_text=_("The work the unit will do, measured against the standard's four categories.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("creation plan")
        verbose_name_plural = _("creation plans")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "campaign"],
                name="plan_one_per_unit_and_campaign",
                violation_error_message=_("This unit already has a plan for this campaign."),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "-updated_at"], name="plan_campaign_updated_idx")]

    def __str__(self):
        return f"{self.unit} · {self.campaign}"


class PlanStepQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(overdue_q(today))

    def done(self):
        return self.filter(status=StepStatus.DONE)

    def in_order(self):
        return self.order_by("order", "pk")


class PlanStep(models.Model):
    """A step (milestone) of a plan: what, by when, who answers for it, how far it is.

    `done_on` is the day the step was marked done; it is set and cleared together with
    the status by plans.services.update_step, the only code that changes `status`, and
    a CheckConstraint keeps the two in step. `order` is the position in the plan,
    unique within it (plans.services.move_step swaps two positions).
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"))
    owner = models.CharField(_("person responsible"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.NOT_STARTED, editable=False
    )
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    progress = models.TextField(_("progress note"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PlanStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="plan_step_order_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="plan_step_done_on_only_when_done",
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue_on(self, today: datetime.date) -> bool:
        """The same rule as overdue_q, for one step already in memory."""
        return self.deadline < today and self.status != StepStatus.DONE

    @property
    def is_overdue(self) -> bool:
        """Overdue today (in the platform's time zone)."""
        return self.is_overdue_on(timezone.localdate())

    @property
    def is_done(self) -> bool:
        return self.status == StepStatus.DONE


class PlanComment(models.Model):
    """A remark of the association (or the province) on a plan; the unit reads it on its
    plan. Comments are never edited or deleted: they are part of the record of guidance."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["plan", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]
