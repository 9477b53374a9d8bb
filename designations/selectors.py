"""Reads of the designations app: scored applications with their team's result, named
sites in a reader's scope."""

from django.db.models import Q

from applications.models import Application, State
from designations.models import Designation
from inspections.models import InspectionStatus, Result
from organisations.scoping import subtree_q


def scored_applications(user, *, campaign=None):
    """Scored applications awaiting the naming decision, in `user`'s scope."""
    queryset = (
        Application.objects.visible_to(user).filter(state=State.SCORED).select_related("unit__parent", "campaign")
    )
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset


def filter_scored(queryset, data: dict):
    if data.get("q"):
        queryset = queryset.filter(unit__name__contains=data["q"])
    if data.get("area"):
        queryset = queryset.filter(subtree_q(data["area"].path, prefix="unit__"))
    if data.get("sector"):
        queryset = queryset.filter(unit__sector=data["sector"])
    finalised = Q(inspections__status=InspectionStatus.FINALISED)
    if data.get("meets") == "yes":
        queryset = queryset.filter(finalised, inspections__result__meets_standard=True)
    elif data.get("meets") == "no":
        queryset = queryset.filter(finalised, inspections__result__meets_standard=False)
    return queryset


def with_results(applications) -> list:
    """`applications` (a page) each with `.result`, the frozen result of its team: one query."""
    rows = list(applications)
    results = Result.objects.filter(
        inspection__application__in=[a.pk for a in rows], inspection__status=InspectionStatus.FINALISED
    ).select_related("inspection")
    by_application = {r.inspection.application_id: r for r in results}
    for application in rows:
        application.result = by_application.get(application.pk)
    return rows


def sites_for(user):
    """Named sites (revoked ones included) in `user`'s scope, newest first."""
    return (
        Designation.objects.visible_to(user)
        .select_related("unit__parent", "campaign", "announcement")
        .order_by("-named_on", "-serial")
    )
