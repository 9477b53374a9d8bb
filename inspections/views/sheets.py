"""The inspector's scoresheet on site: scoring row by row (htmx autosave with drafts kept
in the browser), veto items, photos, submission; the leader's reopening and finalising."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Indicator
from campaigns.scoring import parse_score
from core.access import roles
from core.files import stream_stored
from core.forms import add_service_errors, report_error, row_saved_response
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES, Role
from inspections import selectors
from inspections.forms import PhotoForm, ReasonForm, ScoreForm, VetoForm
from inspections.models import Inspection, Scoresheet, SheetPhoto
from inspections.services import scoring

SHEET_ROLES = (*PROVINCE_ROLES, Role.INSPECTOR)


def _sheet_or_404(request, pk):
    return get_object_or_404(
        selectors.sheets_visible_to(request.user).select_related(
            "inspector", "inspection__application__unit", "inspection__application__version"
        ),
        pk=pk,
    )


def _own_sheet_or_404(request, pk):
    sheet = _sheet_or_404(request, pk)
    if sheet.inspector.user_id != request.user.pk:
        raise Http404
    return sheet


def _sheet_context(request, sheet, *, forms=None, veto_form=None, photo_errors=None, submit_errors=None):
    application = sheet.inspection.application
    snapshot = application.snapshots.order_by("-round").first()
    unit_rows = {item["id"]: item for item in (snapshot.data["indicators"] if snapshot else [])}
    indicators = Indicator.objects.filter(category__version=application.version).select_related("category")
    scores = {row.indicator_id: row for row in sheet.scores.all()}
    photos = {}
    for photo in sheet.photos.all():
        photos.setdefault(photo.indicator_id, []).append(photo)
    editable = (
        request.user.role == Role.INSPECTOR
        and sheet.inspector.user_id == request.user.pk
        and not sheet.is_submitted
        and sheet.inspection.is_planned
    )
    forms = forms or {}
    indicators = list(indicators.order_by("category__order", "order"))
    sections, current = [], None
    for indicator in indicators:
        if current is None or current["category"].pk != indicator.category_id:
            current = {"category": indicator.category, "rows": []}
            sections.append(current)
        row = scores.get(indicator.pk)
        form = forms.get(indicator.pk) or ScoreForm(
            initial={
                "score": "" if row is None or row.score is None else row.score.normalize(),
                "comment": row.comment if row else "",
            },
            prefix=f"i{indicator.pk}",
            edit_token=scoring.score_token(row),
        )
        current["rows"].append(
            {
                "indicator": indicator,
                "row": row,
                "form": form,
                "unit": unit_rows.get(indicator.pk),
                "photos": photos.get(indicator.pk, []),
                "photo_error": (photo_errors or {}).get(indicator.pk),
            }
        )
    veto_items = list(application.version.veto_items.all())
    chosen = [str(item.pk) for item in sheet.vetoes.all()]
    return {
        "sheet": sheet,
        "inspection": sheet.inspection,
        "application": application,
        "snapshot": snapshot,
        "sections": sections,
        "editable": editable,
        "veto_items": veto_items,
        "veto_form": veto_form
        or VetoForm(
            initial={"vetoes": chosen, "veto_note": sheet.veto_note},
            items=veto_items,
            edit_token=scoring.vetoes_token(sheet),
        ),
        "problems": scoring.sheet_problems(sheet, indicators=indicators) if editable else [],
        "submit_errors": submit_errors or [],
        "scored": sum(1 for r in scores.values() if r.score is not None),
        "indicator_count": sum(len(s["rows"]) for s in sections),
    }


@roles(*SHEET_ROLES)
def sheet(request, pk):
    """A scoresheet: every indicator with its guidance and expected evidence, the unit's
    self-score and evidence (read only) and the inspector's score, comment and photos.
    Editable by its own inspector until submitted; read only for everyone else who may
    see it (inspections.selectors.sheets_visible_to)."""
    scoresheet = _sheet_or_404(request, pk)
    # Read once for the rows, the veto form and sheet_problems(); only here, where the
    # sheet is not written before it is shown.
    prefetch_related_objects([scoresheet], "scores", "vetoes")
    return render(request, "inspections/sheet.html", _sheet_context(request, scoresheet))


@roles(Role.INSPECTOR)
@require_POST
def save_score(request, pk, indicator_pk):
    """Autosave of one indicator (htmx), or its save button without JavaScript."""
    scoresheet = _own_sheet_or_404(request, pk)
    form = ScoreForm(request.POST, prefix=f"i{indicator_pk}", edit_token="")
    saved, warning = False, ""
    if form.is_valid():
        try:
            row = scoring.save_score(
                actor=request.user,
                sheet=scoresheet,
                indicator_id=indicator_pk,
                score=parse_score(form.cleaned_data["score"]),
                comment=form.cleaned_data["comment"],
                edit_token=form.cleaned_data["edit_token"],
            )
            saved = True
            form.set_edit_token(scoring.score_token(row))
            if scoring.lacks_comment(row, row.indicator.max_score):
                warning = _("Below the maximum: a comment is required before you submit.")
        except ValidationError as error:
            add_service_errors(form, error)
    return row_saved_response(
        request,
        form=form,
        saved=saved,
        partial="inspections/sheet.html#save-state",
        context={"warning": warning},
        row_url=f"{reverse('inspections:sheet', kwargs={'pk': pk})}#indicator-{indicator_pk}",
        render_page=lambda: render(
            request,
            "inspections/sheet.html",
            _sheet_context(request, scoresheet, forms={indicator_pk: form}),
            status=422,
        ),
    )


@roles(Role.INSPECTOR)
@require_POST
def save_vetoes(request, pk):
    scoresheet = _own_sheet_or_404(request, pk)
    items = list(scoresheet.inspection.application.version.veto_items.all())
    form = VetoForm(request.POST, items=items, edit_token="")
    if form.is_valid():
        try:
            scoring.set_vetoes(
                actor=request.user,
                sheet=scoresheet,
                veto_ids=[int(pk) for pk in form.cleaned_data["vetoes"]],
                note=form.cleaned_data["veto_note"],
                edit_token=form.cleaned_data["edit_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('inspections:sheet', kwargs={'pk': pk})}#vetoes")
    context = _sheet_context(request, scoresheet, veto_form=form)
    return render(request, "inspections/sheet.html", context, status=422)


@roles(Role.INSPECTOR)
@require_POST
def photo_upload(request, pk):
    scoresheet = _own_sheet_or_404(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    indicator_pk = None
    if allow_upload(request, form, "photo") and form.is_valid():
        indicator_pk = form.cleaned_data["indicator"]
        try:
            scoring.add_photo(
                actor=request.user, sheet=scoresheet, indicator_id=indicator_pk, upload=form.cleaned_data["photo"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The photo was added."))
            return redirect(f"{reverse('inspections:sheet', kwargs={'pk': pk})}#indicator-{indicator_pk}")
    errors = [e for es in form.errors.values() for e in es] or [_("Choose a photo.")]
    if indicator_pk is None:
        messages.error(request, " ".join(errors))
        return redirect("inspections:sheet", pk=pk)
    context = _sheet_context(request, scoresheet, photo_errors={indicator_pk: " ".join(errors)})
    return render(request, "inspections/sheet.html", context, status=422)


def _photo_or_404(request, pk):
    visible = selectors.sheets_visible_to(request.user)
    return get_object_or_404(
        SheetPhoto.objects.filter(sheet__in=visible).select_related("sheet__inspection__application__unit"), pk=pk
    )


def _stream_photo(request, item, name, **kwargs):
    """A stored picture of `item` (the photo or its thumbnail), audited under the unit inspected."""
    return stream_stored(request, name, obj=item, scope=item.sheet.inspection.application.unit, inline=True, **kwargs)


@roles(*SHEET_ROLES)
def photo(request, pk):
    item = _photo_or_404(request, pk)
    return _stream_photo(request, item, item.file.name, filename=item.original_name, content_type=item.content_type)


@roles(*SHEET_ROLES)
def photo_thumbnail(request, pk):
    item = _photo_or_404(request, pk)
    name = item.thumbnail.name or item.file.name
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return _stream_photo(request, item, name, content_type=content_type, part="thumbnail")


@roles(Role.INSPECTOR)
@require_POST
def submit(request, pk):
    scoresheet = _own_sheet_or_404(request, pk)
    try:
        scoring.submit_sheet(actor=request.user, sheet=scoresheet)
    except ValidationError as error:
        context = _sheet_context(request, scoresheet, submit_errors=error.messages)
        return render(request, "inspections/sheet.html", context, status=422)
    messages.success(request, _("Your scoresheet is submitted and locked."))
    return redirect("inspections:detail", pk=scoresheet.inspection_id)


@roles(Role.INSPECTOR)
@require_POST
def reopen(request, pk):
    """The leader reopens a teammate's (or its own) submitted sheet, with a reason."""
    # The leader may reopen a sheet it cannot read yet; the service checks it leads the team.
    scoresheet = get_object_or_404(
        Scoresheet.objects.filter(inspection__in=Inspection.objects.visible_to(request.user)), pk=pk
    )
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please give the reasons."))
        scoring.reopen_sheet(actor=request.user, sheet=scoresheet, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The sheet is reopened; its inspector is notified."))
    return redirect("inspections:detail", pk=scoresheet.inspection_id)


@roles(Role.INSPECTOR)
@require_POST
def finalise(request, pk):
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related("application__unit", "application__campaign"),
        pk=pk,
    )
    try:
        scoring.finalise_inspection(actor=request.user, inspection=inspection)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The team's result is final; the application is scored."))
    return redirect("inspections:detail", pk=pk)
