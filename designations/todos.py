"""What waits in the designations app (core.todos): for the provincial office, the scored
applications to name or decline and the yearly reports to decide; for a unit, its
certificate once named and its yearly report while a review round is open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import PROVINCE_ROLES, Role
from core.todos import Todo, provides, waiting_in
from designations.models import Designation, DesignationStatus, ReportStatus, RoundStatus
from designations.selectors import scored_applications
from designations.services.review import reports_visible_to


@provides(*PROVINCE_ROLES)
def office_naming(user, today):
    deciding = user.role == Role.PROVINCE_ADMIN
    yield from waiting_in(
        scored_applications(user),
        since="inspections__result__finalised_at",
        key="designations.name",
        text=_("Name or decline the scored applications")
        if deciding
        else _("Scored applications waiting for the naming decision"),
        url=reverse("designations:scored"),
        waiting=not deciding,
    )
    yield from waiting_in(
        reports_visible_to(user).filter(status=ReportStatus.SUBMITTED),
        since="submitted_at",
        key="designations.yearly_decide",
        text=_("Decide on the named sites' yearly review reports"),
        url=reverse("designations:review-rounds"),
    )


@provides(Role.UNIT)
def unit_site(user, today):
    for report in (
        reports_visible_to(user)
        .filter(status=ReportStatus.DRAFT, round__status=RoundStatus.OPEN)
        .select_related("round")
        .order_by("round__deadline", "pk")[:3]
    ):
        yield Todo(
            key="designations.yearly_report",
            text=_("Write and submit the yearly review report: %(round)s") % {"round": report.round.title},
            url=reverse("designations:review-report", args=[report.pk]),
            since=report.round.deadline,
            detail=_("Due on %(day)s") % {"day": report.round.deadline.isoformat()},
            overdue=report.round.deadline < today,
        )
    site = (
        Designation.objects.visible_to(user)
        .filter(status=DesignationStatus.ACTIVE)
        .order_by("-named_on", "-pk")
        .first()
    )
    if site is not None:
        yield Todo(
            key="designations.certificate",
            text=_("Your unit is named a demonstration site: certificate No. %(number)s")
            % {"number": site.certificate_number},
            url=reverse("designations:certificate", args=[site.pk]),
            since=site.named_on,
            waiting=True,
        )
