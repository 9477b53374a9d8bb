"""What waits in the applications app (core.todos): for the provincial office, the
applications to register, to review and over the time limit; for a unit, its
application's state and next step, with the reviewers' words after a return."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from applications.models import Application, Review, State
from applications.selectors import over_limit
from campaigns.selectors import current_campaign
from core.roles import PROVINCE_ROLES, Role
from core.todos import Todo, as_day, provides, waiting_in


def _inbox(query: str) -> str:
    return f"{reverse('applications:inbox')}?{query}"


@provides(*PROVINCE_ROLES)
def office_applications(user, today):
    inbox = Application.objects.visible_to(user).in_inbox()
    yield from waiting_in(
        inbox.filter(state=State.SUBMITTED),
        since="submitted_at",
        key="applications.register",
        text=_("Register the submitted applications"),
        url=_inbox(f"state={State.SUBMITTED}"),
    )
    yield from waiting_in(
        inbox.filter(state=State.REGISTERED),
        since="submitted_at",
        key="applications.review",
        text=_("Review the registered applications"),
        url=_inbox(f"state={State.REGISTERED}"),
    )
    yield from waiting_in(
        over_limit(inbox, today=today),
        since="submitted_at",
        key="applications.over_limit",
        text=_("Applications waiting beyond the time limit"),
        url=_inbox("waiting=over"),
        overdue=True,
    )


# What a unit reads about its application in each state where the next step is not its own.
WAITING_TEXT = {
    State.SUBMITTED: lambda a: _("Your application is submitted: the provincial office registers it next."),
    State.REGISTERED: lambda a: (
        _("Your application is registered as No. %(number)s and under preliminary review.")
        % {"number": a.registration_code}
    ),
    State.AWAITING_INSPECTION: lambda a: _(
        "Your application passed the preliminary review: an inspection team visits next."
    ),
    State.SCORED: lambda a: _("The inspection is over: the provincial office decides on naming next."),
}


@provides(Role.UNIT)
def unit_application(user, today):
    campaign = current_campaign()
    if campaign is None:
        return
    application = (
        Application.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("campaign")
        .order_by("-created_at", "-pk")
        .first()
    )
    if application is None:
        yield Todo(
            key="applications.start",
            text=_("When your unit is ready, self-assess against the standard and apply"),
            url=reverse("applications:mine"),
        )
        return
    detail = reverse("applications:detail", args=[application.pk])
    if application.state == State.DRAFT:
        yield Todo(
            key="applications.draft",
            text=_("Complete the self-assessment and submit the application"),
            url=reverse("applications:assessment", args=[application.pk]),
            since=as_day(application.created_at),
        )
    elif application.state == State.RETURNED:
        review = Review.objects.filter(application=application).order_by("-created_at", "-pk").first()
        yield Todo(
            key="applications.returned",
            text=_("Your application was returned for supplement: complete it and submit it again"),
            url=reverse("applications:assessment", args=[application.pk]),
            since=as_day(review.created_at) if review else None,
            detail=Truncator(review.reason).chars(200) if review else "",
            overdue=True,
        )
    elif application.state in WAITING_TEXT:
        yield Todo(
            key=f"applications.{application.state}",
            text=WAITING_TEXT[application.state](application),
            url=detail,
            since=as_day(application.submitted_at),
            waiting=True,
        )
    elif application.state in (State.REJECTED, State.NOT_NAMED, State.REVOKED):
        yield Todo(
            key=f"applications.{application.state}",
            text=_("Your application ended (%(state)s): you may apply again when the unit is ready.")
            % {"state": application.get_state_display()},
            url=reverse("applications:mine"),
            since=as_day(application.decided_at),
            waiting=True,
        )
