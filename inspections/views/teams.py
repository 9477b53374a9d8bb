"""Planning inspections and forming teams (province), the inspector's own visits, and an
inspection's page for both."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Application, State
from applications.selectors import areas_for
from core.access import roles
from core.files import attachment
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.roles import PROVINCE_ROLES, Role
from inspections import selectors
from inspections.calendar_file import visit_ics as visit_ics_file
from inspections.forms import CancelForm, InspectionFilterForm, InspectionForm, ReasonForm, VisitDateForm
from inspections.models import Inspection, InspectionStatus
from inspections.results import reason_text
from inspections.services import teams
from organisations.scoping import subtree_q

TEAM_ROLES = (*PROVINCE_ROLES, Role.INSPECTOR)


@roles(*PROVINCE_ROLES)
def inspection_list(request):
    """Applications waiting for a team, and inspections by status, filtered and paginated."""
    form = InspectionFilterForm(request.GET or None, areas=areas_for(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or ""
    if status:
        queryset = (
            Inspection.objects.visible_to(request.user)
            .filter(status=status)
            .select_related("application__unit", "application__campaign")
            .order_by("visit_date", "pk")
        )
        prefix = "application__unit__"
    else:
        queryset = selectors.awaiting_inspection(request.user).order_by("decided_at", "pk")
        prefix = "unit__"
    if data.get("q"):
        queryset = queryset.filter(**{f"{prefix}name__contains": data["q"]})
    if data.get("area"):
        queryset = queryset.filter(subtree_q(data["area"].path, prefix=prefix))
    return render(
        request,
        "inspections/list.html",
        {"filter_form": form, "page_obj": paginate(request, queryset), "showing_inspections": bool(status)},
    )


@roles(Role.INSPECTOR)
def my_inspections(request):
    """The inspector's visits: planned first, by date."""
    page = paginate(request, selectors.inspections_of(request.user))
    sheets = {
        s.inspection_id: s
        for s in selectors.sheets_visible_to(request.user).filter(
            inspector__user=request.user, inspection_id__in=[i.pk for i in page]
        )
    }
    for inspection in page:
        inspection.my_sheet = sheets.get(inspection.pk)
    return render(request, "inspections/mine.html", {"page_obj": page})


def _plan_page(request, *, application, inspection, form, status=200):
    candidates = selectors.candidates_for(application, include_ineligible=True)
    chosen_leader, chosen_members = None, set()
    if form.is_bound:
        chosen_leader = form.data.get("leader")
        chosen_members = set(form.data.getlist("members"))
    elif inspection is not None:
        for member in inspection.members.all():
            if member.is_leader:
                chosen_leader = str(member.inspector_id)
            else:
                chosen_members.add(str(member.inspector_id))
    return render(
        request,
        "inspections/plan.html",
        {
            "application": application,
            "inspection": inspection,
            "form": form,
            "eligible": [c for c in candidates if c.eligible],
            "ineligible": [c for c in candidates if not c.eligible],
            "chosen_leader": chosen_leader,
            "chosen_members": chosen_members,
            "team_size": application.campaign.team_size,
        },
        status=status,
    )


def _save_plan(request, *, application, inspection):
    token = teams.plan_token(inspection) if inspection is not None else None
    form = InspectionForm(request.POST or None, initial=_initial(inspection), edit_token=token)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = {"visit_date": data["visit_date"], "place": data["place"], "notes": data["notes"]}
        try:
            if request.POST.get("action") == "draw":
                saved = teams.draw_inspection(
                    actor=request.user,
                    application=application,
                    inspection=inspection,
                    edit_token=data.get("edit_token"),
                    **visit,
                )
                messages.success(request, _("The team was drawn at random; the draw is recorded with its seed."))
            else:
                saved = teams.plan_inspection(
                    actor=request.user,
                    application=application,
                    inspection=inspection,
                    leader=data["leader"],
                    members=list(data["members"]),
                    edit_token=data.get("edit_token"),
                    **visit,
                )
                messages.success(request, _("The inspection is planned; the team is notified."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("inspections:detail", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    return _plan_page(request, application=application, inspection=inspection, form=form, status=status)


def _initial(inspection):
    if inspection is None:
        return {}
    return {"visit_date": inspection.visit_date, "place": inspection.place, "notes": inspection.notes}


@roles(*PROVINCE_ROLES)
def plan(request, application_pk):
    """Plan the inspection of an application awaiting inspection: the visit and the team,
    chosen by hand among the proposed candidates or drawn at random."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("unit", "campaign"), pk=application_pk
    )
    existing = selectors.binding_inspection(application)
    if existing is not None:
        return redirect("inspections:edit", pk=existing.pk)
    if application.state != State.AWAITING_INSPECTION:
        messages.error(request, _("Only an application awaiting inspection can be inspected."))
        return redirect("applications:detail", pk=application.pk)
    return _save_plan(request, application=application, inspection=None)


@roles(*PROVINCE_ROLES)
def edit(request, pk):
    """Change a planned inspection: its date, place or team (by hand or by a new draw)."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related("application__unit", "application__campaign"),
        pk=pk,
    )
    if inspection.status != InspectionStatus.PLANNED:
        messages.error(request, _("This inspection is no longer planned: it cannot change."))
        return redirect("inspections:detail", pk=pk)
    return _save_plan(request, application=inspection.application, inspection=inspection)


@roles(*PROVINCE_ROLES)
@require_POST
def cancel(request, pk):
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please give the reasons."))
        teams.cancel_inspection(actor=request.user, inspection=inspection, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The inspection was cancelled; the team is notified."))
    return redirect("inspections:detail", pk=pk)


def _detail_page(request, inspection, *, visit_form=None, status=200):
    sheets = selectors.team_sheets(inspection)
    visible = set(selectors.sheets_visible_to(request.user).filter(inspection=inspection).values_list("pk", flat=True))
    member = selectors.membership(inspection, request.user) if request.user.role == Role.INSPECTOR else None
    draws = list(inspection.draws.all())
    for draw in draws:
        draw.replays = selectors.replay_draw(draw) == draw.picked
    result = getattr(inspection, "result", None) if inspection.status == InspectionStatus.FINALISED else None
    is_leader = bool(member and member.is_leader)
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "application": inspection.application,
            "sheets": sheets,
            "visible_sheets": visible,
            "member": member,
            "is_leader": is_leader,
            "all_submitted": bool(sheets) and all(s.is_submitted for s in sheets),
            "draws": draws,
            "result": result,
            "reasons": [reason_text(r) for r in result.data["reasons"]] if result else [],
            "cancel_form": CancelForm(),
            "reason_form": ReasonForm(),
            # The leader records a visit that took place before its planned day.
            "visit_form": visit_form
            or (
                VisitDateForm()
                if is_leader and inspection.is_planned and inspection.visit_date > timezone.localdate()
                else None
            ),
            "is_province": request.user.role in PROVINCE_ROLES,
        },
        status=status,
    )


def _inspection_or_404(request, pk) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related(
            "application__unit", "application__campaign", "application__version"
        ),
        pk=pk,
    )


@roles(*TEAM_ROLES)
def detail(request, pk):
    """An inspection: visit, team with the state of each sheet, the recorded draws (replayed
    on the page), and the team's result once final."""
    return _detail_page(request, _inspection_or_404(request, pk))


@roles(Role.INSPECTOR)
@require_POST
def record_visit(request, pk):
    """The leader records the day the visit actually took place, with the reason."""
    inspection = _inspection_or_404(request, pk)
    form = VisitDateForm(request.POST)
    if form.is_valid():
        try:
            teams.record_visit_date(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The day of the visit was recorded; the team may submit its sheets."))
            return redirect("inspections:detail", pk=pk)
    return _detail_page(request, inspection, visit_form=form, status=400)


@roles(*TEAM_ROLES, Role.UNIT)
def visit_ics(request, pk):
    """The visit as a calendar file, for the team and the unit."""
    inspection = get_object_or_404(
        selectors.visits_visible_to(request.user).with_leader_name().select_related("application__unit"), pk=pk
    )
    content = visit_ics_file(inspection, host=request.get_host())
    return attachment(
        content,
        filename=_("Inspection visit %(day)s.ics") % {"day": inspection.visit_date.isoformat()},
        content_type="text/calendar; charset=utf-8",
    )
