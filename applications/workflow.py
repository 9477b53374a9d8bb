"""The application workflow of DESIGN.md §3, declared once.

TRANSITIONS says, for each named transition, from which states it may be taken, to
which state it leads, who may take it and whether it needs a reason. `transition()`
is the only code that assigns Application.state: it locks the row, checks the table
again under the lock, runs the transition's effect, writes one audit record and
notifies the people concerned after the commit. Anything else answers a
TransitionError with a message for the user and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, State
from audit.services import record_event
from core.roles import PROVINCE_ROLES, Role


class TransitionError(ValidationError):
    """A transition that is not allowed now; the message says why, in the user's language,
    and `code` which check refused it (unknown, state, forbidden, condition, reason)."""

    def __init__(self, message, code):
        super().__init__(message, code=code)
        # ValidationError keeps no code when the message is a dict of field errors.
        self.code = code


def _is_operator(user, application) -> bool:
    return user.role == Role.UNIT and user.organisation_id == application.unit_id


def _is_province(user, application) -> bool:
    return user.role in PROVINCE_ROLES


def _is_province_admin(user, application) -> bool:
    return user.role == Role.PROVINCE_ADMIN


def _is_team_leader(user, application) -> bool:
    """The leader of the application's planned inspection (inspections finalise through it)."""
    from inspections.models import InspectionStatus, TeamMember

    return (
        user.role == Role.INSPECTOR
        and TeamMember.objects.filter(
            inspection__application=application,
            inspection__status=InspectionStatus.PLANNED,
            inspector__user=user,
            is_leader=True,
        ).exists()
    )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    may: Callable = field(repr=False)
    reason_required: bool = False
    # Extra condition on the application beyond its state, with the message when it fails.
    condition: Callable | None = field(default=None, repr=False)
    condition_message: str = ""


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", gettext_lazy("Submit"), frozenset({State.DRAFT}), State.SUBMITTED, _is_operator),
        Transition(
            "withdraw",
            gettext_lazy("Withdraw"),
            frozenset({State.SUBMITTED}),
            State.DRAFT,
            _is_operator,
            condition=lambda application: application.registration_number is None,
            condition_message=gettext_lazy("A registered application cannot be withdrawn."),
        ),
        Transition("register", gettext_lazy("Register"), frozenset({State.SUBMITTED}), State.REGISTERED, _is_province),
        Transition(
            "pass",
            gettext_lazy("Pass to inspection"),
            frozenset({State.REGISTERED}),
            State.AWAITING_INSPECTION,
            _is_province,
        ),
        Transition(
            "return",
            gettext_lazy("Return for supplement"),
            frozenset({State.REGISTERED}),
            State.RETURNED,
            _is_province,
            reason_required=True,
        ),
        Transition("reject", gettext_lazy("Reject"), frozenset({State.REGISTERED}), State.REJECTED, _is_province, True),
        # A returned application was registered: it goes back to review under its number.
        Transition("resubmit", gettext_lazy("Resubmit"), frozenset({State.RETURNED}), State.REGISTERED, _is_operator),
        Transition(
            "score",
            gettext_lazy("Finalise the team's result"),
            frozenset({State.AWAITING_INSPECTION}),
            State.SCORED,
            _is_team_leader,
        ),
        Transition("name", gettext_lazy("Name"), frozenset({State.SCORED}), State.NAMED, _is_province_admin),
        Transition(
            "decline",
            gettext_lazy("Decline to name"),
            frozenset({State.SCORED}),
            State.NOT_NAMED,
            _is_province_admin,
            reason_required=True,
        ),
        Transition(
            "revoke",
            gettext_lazy("Revoke the title"),
            frozenset({State.NAMED}),
            State.REVOKED,
            _is_province_admin,
            reason_required=True,
        ),
    ]
}


def allowed_transitions(user, application) -> list[Transition]:
    """The transitions `user` may take on `application` as it is now (for buttons)."""
    return [
        t
        for t in TRANSITIONS.values()
        if application.state in t.sources
        and t.may(user, application)
        and (t.condition is None or t.condition(application))
    ]


def transition(*, application: Application, name: str, actor, reason: str = "", effect=None) -> Application:
    """Take transition `name` on `application` as `actor`.

    Locks the application row, so that of two simultaneous actions the second sees the
    state the first left and is refused. `effect(application)` runs under the lock before
    the state changes (e.g. freezing a snapshot, giving a registration number), saves
    what it changes itself, and may raise ValidationError to stop everything. Raises TransitionError when the transition
    is unknown, not allowed from the current state, not allowed to `actor`, or needs a
    reason that is missing. Writes one audit record; notifications go out after commit.
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise TransitionError(_("Unknown action."), code="unknown")
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("unit", "campaign")
            .get(pk=application.pk)
        )
        if locked.state not in spec.sources:
            raise TransitionError(
                _("This cannot be done now: the application is “%(state)s”.") % {"state": locked.get_state_display()},
                code="state",
            )
        if not spec.may(actor, locked):
            raise TransitionError(_("You may not do this to this application."), code="forbidden")
        if spec.condition is not None and not spec.condition(locked):
            raise TransitionError(str(spec.condition_message), code="condition")
        if spec.reason_required and not reason:
            raise TransitionError({"reason": _("Please give the reasons.")}, code="reason")
        if effect is not None:
            effect(locked)
        source = locked.state
        locked.state = spec.target
        now = timezone.now()
        stamp = {"submit": "submitted_at", "resubmit": "submitted_at", "register": "registered_at"}.get(name)
        if name in {"pass", "return", "reject", "score", "name", "decline", "revoke"}:
            stamp = "decided_at"
        fields = ["state", "updated_at"]
        if stamp:
            setattr(locked, stamp, now)
            fields.append(stamp)
        locked.save(update_fields=fields)
        record_event(
            actor=actor,
            action=f"application.{name}",
            obj=locked,
            from_state=source,
            to_state=spec.target,
            reason=reason,
            details={"round": locked.round, "registration": locked.registration_code},
        )
        _notify(application=locked, name=name, actor=actor, reason=reason)
        if spec.target in (State.NAMED, State.REVOKED):
            # The public reads the change at once, not when its cached pages run out.
            from showcase.selectors import forget_public_pages

            transaction.on_commit(forget_public_pages)
    return locked


def _notify(*, application, name, actor, reason) -> None:
    """Tell the unit's operators of every decision about their application, and the
    provincial staff of every submission (notifications.services sends after commit),
    each in its own language."""
    from accounts.models import User
    from notifications.services import notify, translatable

    url = f"/applications/{application.pk}/"
    unit = application.unit.name
    if name in {"submit", "resubmit"}:
        recipients = User.objects.filter(role=Role.PROVINCE_STAFF, is_active=True)
        title = translatable(gettext_lazy("New application from %(unit)s"), unit=unit)
    elif name == "score":
        recipients = User.objects.filter(role__in=PROVINCE_ROLES, is_active=True)
        title = translatable(gettext_lazy("The inspection team has scored %(unit)s"), unit=unit)
    else:
        recipients = User.objects.filter(organisation_id=application.unit_id, role=Role.UNIT, is_active=True)
        state = dict(State.choices)[application.state]  # lazy: each recipient reads its own language
        title = translatable(gettext_lazy("Your application is now “%(state)s”"), state=state)
    body = reason
    notify(recipients=list(recipients), title=title, body=body, url=url, actor=actor, kind=f"application.{name}")
