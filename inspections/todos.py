"""What waits in the inspections app (core.todos): for the provincial office, the
applications that passed review and have no team yet; for an inspector, the coming
visits, the sheets to score and submit, and for a leader the result to finalise; for a
unit, the date and place of its inspection and who leads the team."""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import PROVINCE_ROLES, Role
from core.todos import Todo, provides, waiting_in
from inspections.models import Inspection, Scoresheet, SheetStatus, TeamMember
from inspections.selectors import awaiting_inspection, visits_visible_to

# Visits listed one by one; an inspector with more sees them all on 我的考察.
VISITS_SHOWN = 5


def _visit(inspection) -> str:
    return _("%(day)s · %(place)s") % {"day": inspection.visit_date.isoformat(), "place": inspection.place}


@provides(*PROVINCE_ROLES)
def office_inspections(user, today):
    yield from waiting_in(
        awaiting_inspection(user),
        since="decided_at",
        key="inspections.plan",
        text=_("Plan the inspection and draw the team"),
        url=reverse("inspections:list"),
    )


@provides(Role.INSPECTOR)
def inspector_visits(user, today):
    own_sheet = Scoresheet.objects.filter(inspection=OuterRef("pk"), inspector__user=user)
    open_sheets = Scoresheet.objects.filter(inspection=OuterRef("pk"), status=SheetStatus.DRAFT)
    leads = TeamMember.objects.filter(inspection=OuterRef("pk"), inspector__user=user, is_leader=True)
    visits = (
        Inspection.objects.visible_to(user)
        .planned()
        .select_related("application__unit")
        .annotate(
            sheet_id=Subquery(own_sheet.values("pk")[:1]),
            sheet_status=Subquery(own_sheet.values("status")[:1]),
            leads=Exists(leads),
            all_submitted=~Exists(open_sheets),
        )
        .order_by("visit_date", "pk")
    )
    for inspection in visits[:VISITS_SHOWN]:
        unit = inspection.application.unit.name
        if inspection.sheet_status != SheetStatus.SUBMITTED:
            url = (
                reverse("inspections:sheet", args=[inspection.sheet_id])
                if inspection.sheet_id
                else reverse("inspections:detail", args=[inspection.pk])
            )
            yield Todo(
                key="inspections.sheet",
                text=_("Score and submit your sheet: %(unit)s") % {"unit": unit},
                url=url,
                since=inspection.visit_date,
                detail=_visit(inspection),
                overdue=inspection.visit_date < today,
            )
        elif inspection.leads and inspection.all_submitted:
            yield Todo(
                key="inspections.finalise",
                text=_("Every sheet is in: finalise the team's result for %(unit)s") % {"unit": unit},
                url=reverse("inspections:detail", args=[inspection.pk]),
                since=inspection.visit_date,
                detail=_visit(inspection),
            )


@provides(Role.UNIT)
def unit_inspection(user, today):
    inspection = visits_visible_to(user).with_leader_name().order_by("visit_date", "pk").first()
    if inspection is None:
        return
    detail = _visit(inspection)
    if inspection.leader_name:
        detail = _("%(visit)s · team leader %(leader)s") % {"visit": detail, "leader": inspection.leader_name}
    yield Todo(
        key="inspections.visit",
        text=_("On-site inspection of your unit: receive the team and have your materials at hand"),
        url=reverse("applications:detail", args=[inspection.application_id]),
        since=inspection.visit_date,
        detail=detail,
    )
