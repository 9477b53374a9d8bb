"""Scoring on site (量化打分): an inspector's scoresheet, from the first score to the
team's result.

The sheet saves row by row as the inspector types (each change of a score or its
comment is one audit record, a save that changes nothing none); submitting locks it;
only the team leader reopens a submitted sheet, with a reason, before the result is final. Finalising computes the
result (inspections.results), freezes it and moves the application to scored through
applications.workflow, all under the application's row lock.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.workflow import transition
from audit.services import as_audit_text, record_event
from campaigns.models import Indicator, VetoItem
from campaigns.scoring import format_score, validate_score
from core.concurrency import check_unchanged, check_values, fingerprint, fingerprint_of
from core.roles import Role
from inspections import selectors
from inspections.models import InspectionStatus, Result, Scoresheet, SheetPhoto, SheetScore, SheetStatus
from inspections.results import frozen_result
from materials import uploads
from notifications.services import notify, translatable


def _require_own_sheet(actor, sheet: Scoresheet) -> None:
    if not (actor.is_authenticated and actor.role == Role.INSPECTOR and sheet.inspector.user_id == actor.pk):
        raise PermissionDenied


def _lock_sheet(sheet: Scoresheet) -> Scoresheet:
    return (
        Scoresheet.objects.select_for_update(of=("self",))
        .select_related("inspector", "inspection__application__version")
        .get(pk=sheet.pk)
    )


def _check_open(sheet: Scoresheet) -> None:
    if sheet.inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("The team's result is final: the sheet can no longer change."), code="final")
    if sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError(
            _("This sheet is submitted. Ask the team leader to reopen it to change a score."), code="submitted"
        )
    if not sheet.inspection.members.filter(inspector_id=sheet.inspector_id).exists():
        raise PermissionDenied


SCORE_ROW_FIELDS = ("score", "comment")


def score_token(row: SheetScore | None) -> str:
    """The edit token of one scoresheet row as saved now (None: not scored yet)."""
    return fingerprint_of(row if row is not None else SheetScore(comment=""), SCORE_ROW_FIELDS)


def vetoes_token(sheet: Scoresheet) -> str:
    """The edit token of a sheet's veto items and note as saved now."""
    return fingerprint(_veto_values(sheet))


def _veto_values(sheet: Scoresheet) -> dict:
    return {"vetoes": sorted(sheet.vetoes.values_list("pk", flat=True)), "veto_note": sheet.veto_note}


def save_score(
    *,
    actor,
    sheet: Scoresheet,
    indicator_id: int,
    score: Decimal | None,
    comment: str,
    edit_token: str | None = None,
) -> SheetScore:
    """Save one indicator of the inspector's own open sheet (None = not scored yet).
    Raises PermissionDenied for anyone else, ValidationError by field for a score off the
    scale and for a sheet that is submitted or final. A missing comment under the
    maximum is allowed here (nothing typed is refused) and stops the submission.
    Raises EditConflict when the row changed since the page (or the offline draft
    replayed now) showed `edit_token`: the same expert on another phone or tab."""
    _require_own_sheet(actor, sheet)
    with transaction.atomic():
        sheet = _lock_sheet(sheet)
        _check_open(sheet)
        indicator = Indicator.objects.filter(pk=indicator_id, category__version=sheet.inspection.application.version)
        indicator = indicator.first()
        if indicator is None:
            raise ValidationError(_("This indicator is not part of the standard of this application."))
        if score is not None:
            try:
                validate_score(score, max_score=indicator.max_score)
            except ValidationError as error:
                raise ValidationError({"score": error.messages}) from error
        # The sheet's lock serialises its rows: this one cannot change until the commit.
        saved = SheetScore.objects.filter(sheet=sheet, indicator=indicator).first()
        check_unchanged(
            saved if saved is not None else SheetScore(sheet=sheet, indicator=indicator, comment=""),
            token=edit_token,
            values={"score": score, "comment": comment},
        )
        row, _created = SheetScore.objects.update_or_create(
            sheet=sheet, indicator=indicator, defaults={"score": score, "comment": comment}
        )
        before = (
            {"score": saved.score, "comment": saved.comment} if saved is not None else {"score": None, "comment": ""}
        )
        changed = {
            name: [as_audit_text(before[name]), as_audit_text(value)]
            for name, value in (("score", score), ("comment", comment))
            if before[name] != value
        }
        if changed:
            record_event(
                actor=actor,
                action="scoresheet.score",
                obj=sheet,
                details={"indicator": indicator.pk, "changed": changed},
            )
    return row


@transaction.atomic
def set_vetoes(
    *, actor, sheet: Scoresheet, veto_ids: list[int], note: str, edit_token: str | None = None
) -> Scoresheet:
    """The veto items (一票否决) the inspector found, with what they rest on. EditConflict
    when they changed since the page showed `edit_token`."""
    _require_own_sheet(actor, sheet)
    sheet = _lock_sheet(sheet)
    _check_open(sheet)
    items = list(VetoItem.objects.filter(version=sheet.inspection.application.version, pk__in=veto_ids))
    check_values(
        token=edit_token,
        current=_veto_values(sheet),
        new={"vetoes": sorted(item.pk for item in items), "veto_note": note},
        history=sheet,
        display=lambda name: (
            "；".join(sheet.vetoes.order_by("order").values_list("text", flat=True))
            if name == "vetoes"
            else sheet.veto_note
        ),
    )
    before = _veto_values(sheet)
    sheet.vetoes.set(items)
    sheet.veto_note = note
    sheet.save(update_fields=["veto_note", "updated_at"])
    after = _veto_values(sheet)
    if after != before:
        record_event(actor=actor, action="scoresheet.vetoes", obj=sheet, details={"before": before, "after": after})
    return sheet


def add_photo(*, actor, sheet: Scoresheet, indicator_id: int, upload) -> SheetPhoto:
    """Keep a photo taken on site for one indicator of the inspector's open sheet. Only
    JPEG and PNG pictures that can be read are accepted (ValidationError otherwise);
    the file is stored under a random name before the row is written, and deleted again
    if the row cannot be."""
    _require_own_sheet(actor, sheet)
    checked = uploads.check_file(upload)
    if not checked.is_image:
        raise ValidationError({"photo": _("Only photos (JPEG or PNG) can be added here.")}, code="not_photo")
    stored = uploads.store(checked, under="inspections/photos")
    try:
        with transaction.atomic():
            sheet = _lock_sheet(sheet)
            _check_open(sheet)
            if not Indicator.objects.filter(
                pk=indicator_id, category__version=sheet.inspection.application.version
            ).exists():
                raise ValidationError(_("This indicator is not part of the standard of this application."))
            photo = SheetPhoto.objects.create(
                sheet=sheet,
                indicator_id=indicator_id,
                file=stored.name,
                thumbnail=stored.thumbnail,
                original_name=checked.original_name,
                content_type=checked.file_type.content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
            record_event(actor=actor, action="inspection.photo", obj=sheet, details={"photo": photo.pk})
    except BaseException:
        uploads.discard(stored.names)
        raise
    return photo


def sheet_problems(sheet: Scoresheet, *, indicators=None) -> list[tuple[int | None, str]]:
    """What stops `sheet` from being submitted: (indicator id or None, message).
    `indicators`: those of the sheet's version with their categories, in order, when the
    caller has them already (the scoresheet page)."""
    if indicators is None:
        version = sheet.inspection.application.version
        indicators = (
            Indicator.objects.filter(category__version=version)
            .select_related("category")
            .order_by("category__order", "order")
        )
    rows = {row.indicator_id: row for row in sheet.scores.all()}
    problems = []
    for indicator in indicators:
        label = f"（{indicator.category.code}）{indicator.order}"
        row = rows.get(indicator.pk)
        if row is None or row.score is None:
            problems.append((indicator.pk, _("Indicator %(label)s has no score.") % {"label": label}))
        elif lacks_comment(row, indicator.max_score):
            problems.append(
                (
                    indicator.pk,
                    _("Indicator %(label)s scores under its maximum of %(max)s: say why in the comment.")
                    % {"label": label, "max": format_score(indicator.max_score)},
                )
            )
    if sheet.vetoes.exists() and not sheet.veto_note.strip():
        problems.append((None, _("Say what the veto item you found rests on.")))
    return problems


def lacks_comment(row: SheetScore, max_score) -> bool:
    """The rule of the standard: a score under the indicator's maximum says why in its
    comment. Submitting refuses a sheet that breaks it; the row's save warns of it."""
    return row.score is not None and row.score < max_score and not row.comment.strip()


@transaction.atomic
def submit_sheet(*, actor, sheet: Scoresheet) -> Scoresheet:
    """Submit and lock the inspector's own sheet once every indicator is scored and every
    score under the maximum has its comment (ValidationError listing what is missing).
    Audited with every score; the leader is notified when it was the last sheet."""
    _require_own_sheet(actor, sheet)
    sheet = _lock_sheet(sheet)
    _check_open(sheet)
    visit_date = sheet.inspection.visit_date
    if timezone.localdate() < visit_date:
        raise ValidationError(
            _(
                "The visit is planned for %(day)s: sheets can be submitted from that day on. If the team "
                "visited earlier, its leader records the actual day and the reason on the inspection's page."
            )
            % {"day": visit_date.isoformat()},
            code="before_visit",
        )
    problems = sheet_problems(sheet)
    if problems:
        raise ValidationError([message for _indicator, message in problems], code="incomplete")
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["status", "submitted_at", "updated_at"])
    record_event(
        actor=actor,
        action="scoresheet.submit",
        obj=sheet,
        from_state=SheetStatus.DRAFT,
        to_state=SheetStatus.SUBMITTED,
        details={"scores": {str(r.indicator_id): str(r.score) for r in sheet.scores.all()}},
    )
    inspection = sheet.inspection
    sheets = selectors.team_sheets(inspection)
    if all(s.is_submitted for s in sheets):
        leader = next((s.member.inspector for s in sheets if s.member.is_leader), None)
        if leader is not None and leader.user_id:
            notify(
                recipients=[leader.user],
                title=translatable(
                    gettext_lazy("Every sheet of the inspection of %(unit)s is in: you may finalise the result"),
                    unit=inspection.application.unit.name,
                ),
                body="",
                url=reverse("inspections:detail", kwargs={"pk": inspection.pk}),
                actor=actor,
                kind="inspection.sheets_complete",
            )
    return sheet


def _require_leader(actor, inspection) -> None:
    member = selectors.membership(inspection, actor) if actor.is_authenticated else None
    if member is None or not member.is_leader or actor.role != Role.INSPECTOR:
        raise PermissionDenied


@transaction.atomic
def reopen_sheet(*, actor, sheet: Scoresheet, reason: str) -> Scoresheet:
    """The team leader reopens a submitted sheet of its team, with a reason, while the
    result is not final. The sheet's inspector is notified."""
    sheet = _lock_sheet(sheet)
    _require_leader(actor, sheet.inspection)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reasons.")})
    if sheet.inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("The team's result is final: the sheet can no longer change."), code="final")
    if sheet.status != SheetStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reopened."), code="state")
    sheet.status = SheetStatus.DRAFT
    sheet.submitted_at = None
    sheet.save(update_fields=["status", "submitted_at", "updated_at"])
    record_event(
        actor=actor,
        action="scoresheet.reopen",
        obj=sheet,
        from_state=SheetStatus.SUBMITTED,
        to_state=SheetStatus.DRAFT,
        reason=reason,
    )
    if sheet.inspector.user_id:
        notify(
            recipients=[sheet.inspector.user],
            title=translatable(
                gettext_lazy("The team leader reopened your scoresheet for %(unit)s"),
                unit=sheet.inspection.application.unit.name,
            ),
            body=reason,
            url=reverse("inspections:sheet", kwargs={"pk": sheet.pk}),
            actor=actor,
            kind="scoresheet.reopen",
        )
    return sheet


def finalise_inspection(*, actor, inspection) -> Result:
    """The leader finalises the team's result once every member's sheet is submitted:
    computes and freezes the Result with the version it used, marks the inspection
    finalised and moves the application to scored (transition "score", audited and
    notified), all or nothing. ValidationError when a sheet is missing or the
    application is not awaiting inspection."""
    _require_leader(actor, inspection)

    def effect(application):
        locked = type(inspection).objects.select_for_update().get(pk=inspection.pk)
        if locked.status != InspectionStatus.PLANNED:
            raise ValidationError(_("This inspection is no longer planned."), code="state")
        locked.application = application
        sheets = selectors.team_sheets(locked)
        waiting = [s.member.inspector.name for s in sheets if not s.is_submitted]
        if waiting:
            raise ValidationError(
                _("Not every sheet is submitted yet: %(names)s.") % {"names": "、".join(waiting)}, code="incomplete"
            )
        prefetch_related_objects(sheets, "scores", "vetoes")
        result = frozen_result(inspection=locked, version_id=application.version_id, sheets=sheets, actor=actor)
        result.save()
        data = result.data
        locked.status = InspectionStatus.FINALISED
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="inspection.finalise",
            obj=locked,
            from_state=InspectionStatus.PLANNED,
            to_state=InspectionStatus.FINALISED,
            details={"total": data["total"], "meets_standard": data["meets_standard"]},
        )

    with transaction.atomic():
        transition(application=inspection.application, name="score", actor=actor, effect=effect)
    return Result.objects.get(inspection=inspection)
