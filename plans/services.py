"""Every write of the plans app: plans, their steps and the comments on them. Views (and
the demo seed) call these; nothing else writes.

Each function is atomic, checks its permission predicate (PermissionDenied), validates
(ValidationError keyed by field, so a view can put it next to the field) and writes one
audit record in the same transaction. `actor` is always a signed-in user here: a plan
is a unit's own work, so the platform never writes one on its behalf.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import apply_changes, as_audit_text, record_event
from core.concurrency import check_unchanged
from core.roles import Role
from notifications.services import notify
from plans import permissions
from plans.models import Plan, PlanComment, PlanStep, StepStatus

PLAN_FIELDS = ("goals", "content")
STEP_FIELDS = ("title", "description", "deadline", "owner", "progress")
COMMENT_MAX_LENGTH = 2000


def _lock_plan(plan: Plan) -> Plan:
    """The plan's row, locked until the transaction ends: step positions and the
    "last updated" time of a plan are changed by one request at a time. Only the plan's
    own row: locking the joined campaign would queue every unit of the province."""
    return Plan.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=plan.pk)


def _require_editor(actor, plan: Plan) -> None:
    if not permissions.can_edit_plan(actor, plan):
        raise PermissionDenied


def _touch(plan: Plan) -> None:
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


def _strip(fields: dict, names) -> dict:
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items() if name in names}


# --- plans -----------------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor, unit, campaign, goals: str, content: str) -> Plan:
    """Create `unit`'s plan for `campaign`. Only the unit's own operator may, while the
    campaign is active (PermissionDenied). Raises ValidationError when a field is empty
    or the unit already has a plan for the campaign."""
    if not permissions.can_create_plan(actor, unit=unit, campaign=campaign):
        raise PermissionDenied
    plan = Plan(unit=unit, campaign=campaign, **_strip({"goals": goals, "content": content}, PLAN_FIELDS))
    # full_clean checks the one-plan-per-unit-and-campaign constraint too; a concurrent
    # request that slips past it is stopped by the constraint itself.
    plan.full_clean()
    plan.save()
    record_event(actor=actor, action="plan.create", obj=plan, details={"campaign": campaign.pk})
    return plan


@transaction.atomic
def update_plan(*, actor, plan: Plan, edit_token: str | None = None, **fields) -> Plan:
    """Change a plan's goals and content (PLAN_FIELDS). Same permission as create_plan;
    audited with each changed field before and after. Raises ValidationError on an empty
    field, and EditConflict when the fields changed since the form showed `edit_token`;
    then changes nothing."""
    plan = _lock_plan(plan)
    _require_editor(actor, plan)
    check_unchanged(plan, token=edit_token, values=fields)
    changed = apply_changes(plan, names=PLAN_FIELDS, values=_strip(fields, PLAN_FIELDS))
    plan.full_clean()
    if changed:
        plan.updated_at = timezone.now()
        plan.save(update_fields=[*changed, "updated_at"])
        record_event(actor=actor, action="plan.update", obj=plan, details={"changed": changed})
    return plan


# --- steps -----------------------------------------------------------------------


@transaction.atomic
def add_step(
    *, actor, plan: Plan, title: str, deadline: datetime.date, owner: str, description: str = "", progress: str = ""
) -> PlanStep:
    """Append a step to `plan`, not started. Only the plan's unit, while the campaign
    runs (PermissionDenied); ValidationError on a bad field. Audited."""
    plan = _lock_plan(plan)
    _require_editor(actor, plan)
    last = plan.steps.aggregate(last=Max("order"))["last"] or 0
    values = _strip(
        {"title": title, "deadline": deadline, "owner": owner, "description": description, "progress": progress},
        STEP_FIELDS,
    )
    step = PlanStep(plan=plan, order=last + 1, **values)
    step.full_clean()
    step.save()
    _touch(plan)
    record_event(
        actor=actor,
        action="plan.step_add",
        obj=step,
        to_state=step.status,
        details={"plan": plan.pk, "deadline": as_audit_text(step.deadline)},
    )
    return step


@transaction.atomic
def update_step(*, actor, step: PlanStep, edit_token: str | None = None, **fields) -> PlanStep:
    """Change a step: any of STEP_FIELDS and `status`. The one place a step's status
    changes: marking it done records the day (`done_on`), leaving "done" clears it.

    Only the plan's unit, while the campaign runs (PermissionDenied). A status outside
    StepStatus or a bad field raises ValidationError and changes nothing. A status change
    is a state change: it is audited as "plan.step_status" with from and to; other edits
    as "plan.step_update" with what changed. EditConflict when the fields the form edits
    changed since it showed `edit_token` (another tab, another person)."""
    plan = _lock_plan(step.plan)
    _require_editor(actor, plan)
    step = PlanStep.objects.select_for_update().get(pk=step.pk, plan=plan)
    check_unchanged(step, token=edit_token, values=fields)
    status = fields.pop("status", step.status)
    if status not in StepStatus.values:
        raise ValidationError(
            {"status": ValidationError(_("Choose one of the statuses offered."), code="invalid_choice")}
        )
    changed = apply_changes(step, names=STEP_FIELDS, values=_strip(fields, STEP_FIELDS))
    from_status = step.status
    if status != from_status:
        step.status = status
        step.done_on = timezone.localdate() if status == StepStatus.DONE else None
    step.full_clean()
    if not changed and status == from_status:
        return step
    step.save()
    _touch(plan)
    details = {"plan": plan.pk, "changed": changed}
    if status != from_status:
        record_event(
            actor=actor, action="plan.step_status", obj=step, from_state=from_status, to_state=status, details=details
        )
    else:
        record_event(actor=actor, action="plan.step_update", obj=step, details=details)
    return step


def set_step_status(
    *, actor, step: PlanStep, status: str, progress: str | None = None, edit_token: str | None = None
) -> PlanStep:
    """Move a step to `status`, with a new progress note if one is given (update_step)."""
    fields = {"status": status}
    if progress is not None:
        fields["progress"] = progress
    return update_step(actor=actor, step=step, edit_token=edit_token, **fields)


@transaction.atomic
def remove_step(*, actor, step: PlanStep) -> None:
    """Delete a step; the steps after it move up one place. Only the plan's unit, while
    the campaign runs (PermissionDenied). Audited with what the step was."""
    plan = _lock_plan(step.plan)
    _require_editor(actor, plan)
    step = PlanStep.objects.get(pk=step.pk, plan=plan)
    details = {
        "plan": plan.pk,
        "title": step.title,
        "deadline": as_audit_text(step.deadline),
        "owner": step.owner,
        "status": step.status,
    }
    record_event(actor=actor, action="plan.step_remove", obj=step, from_state=step.status, details=details)
    order = step.order
    step.delete()
    # Two passes because of the unique (plan, order): first out of the way, then back.
    later = plan.steps.filter(order__gt=order)
    offset = _order_offset(plan)
    later.update(order=F("order") + offset)
    plan.steps.filter(order__gt=offset).update(order=F("order") - offset - 1)
    _touch(plan)


def _order_offset(plan: Plan) -> int:
    return (plan.steps.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def move_step(*, actor, step: PlanStep, direction: str) -> PlanStep:
    """Swap a step with the one before it (`direction` "up") or after it ("down"). At
    either end nothing moves. Same permission as update_step; audited."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": ValidationError(_("Move a step up or down."), code="invalid_choice")})
    plan = _lock_plan(step.plan)
    _require_editor(actor, plan)
    step = PlanStep.objects.get(pk=step.pk, plan=plan)
    neighbours = plan.steps.filter(order__lt=step.order).order_by("-order")
    if direction == "down":
        neighbours = plan.steps.filter(order__gt=step.order).order_by("order")
    other = neighbours.first()
    if other is None:
        return step
    mine, theirs = step.order, other.order
    # The unique (plan, order) forbids a direct swap: park one step out of the way first.
    PlanStep.objects.filter(pk=step.pk).update(order=_order_offset(plan))
    PlanStep.objects.filter(pk=other.pk).update(order=mine)
    PlanStep.objects.filter(pk=step.pk).update(order=theirs)
    step.order = theirs
    _touch(plan)
    record_event(actor=actor, action="plan.step_move", obj=step, details={"plan": plan.pk, "from": mine, "to": theirs})
    return step


# --- comments --------------------------------------------------------------------


@transaction.atomic
def add_comment(*, actor, plan: Plan, text: str) -> PlanComment:
    """The association of the plan's area, or the province, comments on `plan`; the unit
    reads it on its plan and its operators are notified. Raises PermissionDenied for
    anyone else and ValidationError on an empty or over-long text. Audited with the text."""
    if not permissions.can_comment(actor, plan):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the comment first."), code="required")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("A comment may be at most %(limit)s characters long."),
                    code="max_length",
                    params={"limit": COMMENT_MAX_LENGTH},
                )
            }
        )
    comment = PlanComment(plan=plan, author=actor, text=text)
    comment.full_clean()
    comment.save()
    record_event(actor=actor, action="plan.comment", obj=plan, details={"comment": comment.pk, "text": text})
    notify(
        recipients=list(User.objects.filter(organisation_id=plan.unit_id, role=Role.UNIT, is_active=True)),
        title=gettext_lazy("New comment on your creation plan"),
        body=text,
        url=reverse("plans:detail", kwargs={"pk": plan.pk}),
        actor=actor,
        kind="plan.comment",
    )
    return comment
