"""Reads of the inspections app: who may inspect a unit, workload, the draw's replay,
what a page shows. Nothing here writes."""

import random
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from applications.models import Application, State
from inspections.models import (
    BINDING_STATUSES,
    Conflict,
    Inspection,
    InspectionStatus,
    Inspector,
    Scoresheet,
    SheetStatus,
    TeamMember,
)


def top_area_id(path: str) -> int | None:
    """The city, system or department an organisation belongs to: the second key of its
    path ("1/5/27/" → 5); None for the province itself."""
    parts = [part for part in path.split("/") if part]
    return int(parts[1]) if len(parts) > 1 else None


@dataclass(frozen=True)
class Candidate:
    inspector: Inspector
    open_assignments: int
    conflict: str  # why the inspector may not inspect this unit; "" when eligible

    @property
    def eligible(self) -> bool:
        return not self.conflict


def conflict_of(inspector: Inspector, unit, *, declared: set[int]) -> str:
    """Why `inspector` may not inspect `unit`, or "" when it may. `declared` holds the ids
    of the inspectors that declared a conflict with the unit or an organisation above it.
    The one rule of avoidance (回避): proposals, hand choices and draws all ask here."""
    if not inspector.is_active:
        return _("not active in the pool")
    if inspector.user_id is None or not inspector.user.is_active:
        return _("has no active login account")
    if inspector.user.organisation_id == unit.pk or inspector.area_id == unit.pk:
        return _("belongs to the unit itself")
    if inspector.area_id is not None and top_area_id(inspector.area.path) == top_area_id(unit.path):
        return _("works in the same city or system as the unit")
    if inspector.user.organisation_id and inspector.user.organisation.path:
        user_area = top_area_id(inspector.user.organisation.path)
        if user_area is not None and user_area == top_area_id(unit.path):
            return _("works in the same city or system as the unit")
    if inspector.pk in declared:
        return _("declared a conflict of interest with the unit")
    return ""


def declared_conflicts(unit) -> set[int]:
    """Ids of the inspectors with a declared conflict covering `unit` (itself or above)."""
    organisations = [*unit.ancestor_ids(), unit.pk]
    return set(Conflict.objects.filter(organisation_id__in=organisations).values_list("inspector_id", flat=True))


def candidates_for(application: Application, *, include_ineligible: bool = False) -> list[Candidate]:
    """The pool as candidates for inspecting `application`'s unit: eligible ones first,
    fewest open assignments first (workload balance), then by name. Two queries."""
    unit = application.unit
    declared = declared_conflicts(unit)
    open_count = Count("assignments", filter=Q(assignments__inspection__status=InspectionStatus.PLANNED))
    inspectors = (
        Inspector.objects.select_related("user__organisation", "area")
        .annotate(open_assignments=open_count)
        .order_by("name", "pk")
    )
    if not include_ineligible:
        inspectors = inspectors.filter(is_active=True, user__is_active=True)
    candidates = [
        Candidate(inspector=i, open_assignments=i.open_assignments, conflict=conflict_of(i, unit, declared=declared))
        for i in inspectors
    ]
    if not include_ineligible:
        candidates = [c for c in candidates if c.eligible]
    candidates.sort(key=lambda c: (not c.eligible, c.open_assignments))
    return candidates


def draw_team(candidate_ids: list[int], *, seed: str, size: int) -> list[int]:
    """The team a draw gives: `size` ids sampled from `candidate_ids` (in their recorded
    order) by a generator seeded with `seed`; the first is the leader. The same inputs
    always give the same team, on any machine (random.Random seeds a string by SHA-512)."""
    return random.Random(seed).sample(list(candidate_ids), size)


def replay_draw(draw) -> list[int]:
    """Draw again from a recorded Draw; equal to draw.picked unless the record was altered."""
    return draw_team(draw.candidates, seed=draw.seed, size=draw.size)


def awaiting_inspection(user):
    """Applications awaiting inspection that have no planned or finalised inspection yet."""
    binding = Inspection.objects.filter(status__in=BINDING_STATUSES).values("application_id")
    return (
        Application.objects.visible_to(user)
        .filter(state=State.AWAITING_INSPECTION)
        .exclude(pk__in=binding)
        .select_related("unit", "campaign")
    )


def binding_inspection(application: Application) -> Inspection | None:
    return application.inspections.filter(status__in=BINDING_STATUSES).first()


def team_of(inspection: Inspection) -> list[TeamMember]:
    return list(inspection.members.select_related("inspector__user").order_by("-is_leader", "pk"))


def membership(inspection: Inspection, user) -> TeamMember | None:
    return inspection.members.filter(inspector__user=user).select_related("inspector").first()


def team_sheets(inspection: Inspection) -> list[Scoresheet]:
    """The sheets of the current members, leader first (a removed member's sheet is kept
    but no longer counts)."""
    members = team_of(inspection)
    sheets = {s.inspector_id: s for s in inspection.sheets.filter(inspector_id__in=[m.inspector_id for m in members])}
    ordered = []
    for member in members:
        sheet = sheets.get(member.inspector_id)
        if sheet is not None:
            sheet.member = member
            ordered.append(sheet)
    return ordered


def sheets_visible_to(user):
    """Scoresheets `user` may open: all for the province; for an inspector its own sheets
    of binding inspections, and its teammates' submitted sheets once its own is
    submitted; none for anyone else."""
    from core.roles import PROVINCE_ROLES, Role

    if not user.is_authenticated or not user.is_active:
        return Scoresheet.objects.none()
    if user.role in PROVINCE_ROLES:
        return Scoresheet.objects.all()
    if user.role != Role.INSPECTOR:
        return Scoresheet.objects.none()
    inspections = Inspection.objects.visible_to(user)
    own = Q(inspector__user=user)
    own_submitted = Scoresheet.objects.filter(inspector__user=user, status=SheetStatus.SUBMITTED).values(
        "inspection_id"
    )
    teammates = Q(status=SheetStatus.SUBMITTED, inspection_id__in=own_submitted)
    return Scoresheet.objects.filter(inspection__in=inspections).filter(own | teammates)


def inspections_of(user):
    """The inspector's own visits, next first."""
    return (
        Inspection.objects.visible_to(user)
        .select_related("application__unit", "application__campaign")
        .order_by("status", "visit_date", "pk")
    )


def visits_visible_to(user):
    """Inspections whose visit `user` may read and put in a calendar: those it may see
    (inspections.models), and for a unit operator the planned inspection of its own
    application (a unit never opens the inspection's page: the team's sheets are not its
    business)."""
    from core.roles import Role

    if user.is_authenticated and user.is_active and user.role == Role.UNIT:
        return Inspection.objects.planned().filter(application__in=Application.objects.visible_to(user))
    return Inspection.objects.visible_to(user)


def coming_visit(application: Application) -> Inspection | None:
    """The planned inspection of `application`, with its leader's name, for its unit."""
    return application.inspections.planned().with_leader_name().first()
