"""The yearly review (年度复核, 动态管理) of named sites.

The province opens a ReviewRound; every site still named and named at least a year
before the round opened gets a draft YearlyReport. Each unit writes what it did that
year, attaches materials and submits. The province decides: keep the title, keep it
with rectification (what to fix, by when), or revoke it (撤销命名, province admin only,
with reasons and the revocation's document number). Revocation goes through
applications.workflow ("revoke"): the application becomes revoked, the designation
leaves the public list at once, and the unit may apply again.

Every service is keyword-only and atomic, checks who may call it (PermissionDenied),
refuses a rule broken with a ValidationError by field, writes one audit record per
change and notifies the people concerned.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.workflow import transition
from audit.services import record_event
from core.concurrency import check_unchanged, fingerprint_of
from core.roles import PROVINCE_ROLES, Role
from designations.models import (
    Designation,
    DesignationStatus,
    Outcome,
    ReportStatus,
    ReviewRound,
    RoundStatus,
    YearlyReport,
    YearlyReportFile,
)
from materials import uploads
from notifications.services import notify, translatable

# --- Dates ---------------------------------------------------------------------------


def one_year_before(day: datetime.date) -> datetime.date:
    """The same month and day one year earlier; 29 February gives 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# --- Reads ---------------------------------------------------------------------------
# Kept beside the services that own the rules they mirror (designations.selectors is the
# naming pages'); the pages, the downloads and the tests all start from these.


def eligible_designations(opened_on: datetime.date):
    """Sites a round opened on `opened_on` asks to report: still named, and named on or
    before the same day one year earlier."""
    return Designation.objects.filter(status=DesignationStatus.ACTIVE, named_on__lte=one_year_before(opened_on))


def reports_visible_to(user):
    """Yearly reports `user` may read: all for the province, those of its subtree's sites
    for an association, its own for a unit, none for anyone else (as
    Designation.objects.visible_to)."""
    return YearlyReport.objects.filter(designation__in=Designation.objects.visible_to(user))


def files_visible_to(user):
    """Files of the yearly reports `user` may read."""
    return YearlyReportFile.objects.filter(report__in=reports_visible_to(user))


# --- Permissions ---------------------------------------------------------------------


def is_operator_of(user, report: YearlyReport) -> bool:
    """The operator of the unit whose site the report is about."""
    return (
        user.is_authenticated
        and user.role == Role.UNIT
        and user.organisation_id is not None
        and user.organisation_id == report.designation.unit_id
    )


def can_edit_report(user, report: YearlyReport) -> bool:
    """The unit's operator, while the round is open, the report a draft and the site named."""
    return (
        is_operator_of(user, report)
        and report.round.status == RoundStatus.OPEN
        and report.status == ReportStatus.DRAFT
        and report.designation.status == DesignationStatus.ACTIVE
    )


def can_decide(user) -> bool:
    return user.is_authenticated and user.role in PROVINCE_ROLES


def can_revoke(user) -> bool:
    """Revoking a title is the provincial administrator's (applications.workflow "revoke")."""
    return user.is_authenticated and user.role == Role.PROVINCE_ADMIN


def _require_province(actor) -> None:
    if not can_decide(actor):
        raise PermissionDenied


def _operators_of(unit_ids):
    from accounts.models import User

    return User.objects.filter(role=Role.UNIT, is_active=True, organisation_id__in=list(unit_ids))


def _report_url(report) -> str:
    return reverse("designations:review-report", kwargs={"pk": report.pk})


# --- Rounds --------------------------------------------------------------------------


@transaction.atomic
def open_round(
    *, actor, title: str, opened_on: datetime.date, deadline: datetime.date, instructions: str = ""
) -> ReviewRound:
    """Open a review round (province roles; PermissionDenied otherwise) and give every
    eligible site (eligible_designations) a draft report, in one INSERT; the units'
    operators are notified. ValidationError by field: no title, an opening date in the
    future, a deadline before the opening, or no site named a year or more before."""
    _require_province(actor)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the round a title.")
    if opened_on > timezone.localdate():
        errors["opened_on"] = _("A round opens today or on an earlier date.")
    if deadline < opened_on:
        errors["deadline"] = _("The reports cannot be due before the round opens.")
    if errors:
        raise ValidationError(errors)
    sites = list(eligible_designations(opened_on).order_by("named_on", "pk").values_list("pk", "unit_id"))
    if not sites:
        raise ValidationError(
            {
                "opened_on": _("No site was named on or before %(date)s: no site has a year to report on yet.")
                % {"date": one_year_before(opened_on).isoformat()}
            },
            code="no_sites",
        )
    review = ReviewRound(
        title=title, opened_on=opened_on, deadline=deadline, instructions=instructions.strip(), created_by=actor
    )
    review.full_clean()
    review.save()
    YearlyReport.objects.bulk_create([YearlyReport(round=review, designation_id=pk) for pk, _unit in sites])
    record_event(
        actor=actor,
        action="designation.review_open",
        obj=review,
        to_state=RoundStatus.OPEN,
        details={"reports": len(sites), "opened_on": opened_on.isoformat(), "deadline": deadline.isoformat()},
    )
    notify(
        recipients=list(_operators_of({unit for _pk, unit in sites})),
        title=translatable(gettext_lazy("Yearly review: send your report by %(date)s"), date=deadline.isoformat()),
        body=review.instructions,
        url=reverse("designations:review-mine"),
        actor=actor,
        kind="designation.review_open",
    )
    return review


@transaction.atomic
def close_round(*, actor, review: ReviewRound) -> ReviewRound:
    """Close an open round (province roles): units can no longer change or submit their
    reports; submitted reports can still be decided. ValidationError when it is closed."""
    _require_province(actor)
    review = ReviewRound.objects.select_for_update().get(pk=review.pk)
    if review.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is already closed."), code="closed")
    review.status = RoundStatus.CLOSED
    review.save(update_fields=["status"])
    pending = review.reports.filter(status=ReportStatus.DRAFT).count()
    record_event(
        actor=actor,
        action="designation.review_close",
        obj=review,
        from_state=RoundStatus.OPEN,
        to_state=RoundStatus.CLOSED,
        details={"unsubmitted": pending},
    )
    return review


# --- The unit's report ---------------------------------------------------------------


def _lock_report(report: YearlyReport) -> YearlyReport:
    return (
        YearlyReport.objects.select_for_update(of=("self",))
        .select_related("round", "designation__unit")
        .get(pk=report.pk)
    )


def _check_editable(actor, report: YearlyReport) -> None:
    if not is_operator_of(actor, report):
        raise PermissionDenied
    if report.round.status != RoundStatus.OPEN:
        raise ValidationError(_("The review round is closed: the report can no longer change."), code="closed")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report is submitted: it can no longer change."), code="submitted")
    if report.designation.status != DesignationStatus.ACTIVE:
        raise ValidationError(_("The title of this site is revoked."), code="revoked")


def report_token(report: YearlyReport) -> str:
    """The edit token of a yearly report's text as saved now."""
    return fingerprint_of(report, ["text"])


@transaction.atomic
def save_report(*, actor, report: YearlyReport, text: str, edit_token: str | None = None) -> YearlyReport:
    """Save the draft text of the unit's own report (its operator only; PermissionDenied
    otherwise) while the round is open and the report not submitted (ValidationError).
    EditConflict when the text changed since the page showed `edit_token` (two tabs,
    two people of the unit). Not audited on every save: the submission is."""
    report = _lock_report(report)
    _check_editable(actor, report)
    check_unchanged(report, token=edit_token, values={"text": text})
    limit = YearlyReport._meta.get_field("text").max_length
    if len(text) > limit:
        raise ValidationError(
            {"text": _("The report may be at most %(limit)d characters long.") % {"limit": limit}}, code="too_long"
        )
    report.text = text
    report.save(update_fields=["text", "updated_at"])
    return report


def add_report_file(*, actor, report: YearlyReport, upload) -> YearlyReportFile:
    """Attach a material to the unit's own draft report. The file is checked like a
    unit's materials (materials.uploads.check_file: ValidationError on "file"), stored
    under a random name before the row is written, and deleted again if the row cannot
    be (round closed, report submitted meanwhile)."""
    if not is_operator_of(actor, report):
        raise PermissionDenied
    checked = uploads.check_file(upload)
    stored = uploads.store(checked, under="designations/reports")
    try:
        with transaction.atomic():
            report = _lock_report(report)
            _check_editable(actor, report)
            item = YearlyReportFile.objects.create(
                report=report,
                file=stored.name,
                original_name=checked.original_name,
                content_type=checked.file_type.content_type,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            record_event(
                actor=actor,
                action="designation.report_file",
                obj=report,
                details={"file": item.pk, "name": item.original_name, "sha256": item.sha256},
            )
    except BaseException:
        uploads.discard(stored.names)
        raise
    return item


@transaction.atomic
def submit_report(*, actor, report: YearlyReport) -> YearlyReport:
    """Submit the unit's own report (its operator; PermissionDenied otherwise): it needs
    its text (ValidationError on "text") and is locked afterwards. The provincial office
    is notified."""
    report = _lock_report(report)
    _check_editable(actor, report)
    if not report.text.strip():
        raise ValidationError({"text": _("Write what the site did this year before you submit.")}, code="required")
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    record_event(
        actor=actor,
        action="designation.report_submit",
        obj=report,
        from_state=ReportStatus.DRAFT,
        to_state=ReportStatus.SUBMITTED,
        details={"round": report.round_id, "files": report.files.count()},
    )
    from accounts.models import User

    notify(
        recipients=list(User.objects.filter(role__in=PROVINCE_ROLES, is_active=True)),
        title=translatable(gettext_lazy("Yearly report from %(unit)s"), unit=report.designation.unit.name),
        url=_report_url(report),
        actor=actor,
        kind="designation.report_submit",
    )
    return report


# --- The decision --------------------------------------------------------------------


def _decision_errors(*, actor, outcome, rectification, rectify_by, reason, doc_number) -> dict:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose a decision.")
    elif outcome == Outcome.RECTIFY:
        if not rectification:
            errors["rectification"] = _("Say what the site must rectify.")
        if rectify_by is None:
            errors["rectify_by"] = _("Give the date by which it must be rectified.")
        elif rectify_by <= timezone.localdate():
            errors["rectify_by"] = _("The rectification deadline must be after today.")
    elif outcome == Outcome.REVOKE:
        if not can_revoke(actor):
            errors["outcome"] = _("Only the provincial administrator may revoke a title.")
        else:
            if not reason:
                errors["reason"] = _("Give the reasons for revoking the title.")
            if not doc_number:
                errors["doc_number"] = _("Give the document number of the revocation.")
    return errors


@transaction.atomic
def decide_report(
    *,
    actor,
    report: YearlyReport,
    outcome: str,
    rectification: str = "",
    rectify_by: datetime.date | None = None,
    reason: str = "",
    doc_number: str = "",
) -> YearlyReport:
    """Decide on a submitted report (province roles; PermissionDenied otherwise):

    - keep: the title stays (reasons optional);
    - rectify: the title stays; what to rectify and a deadline after today are required;
    - revoke: province admin only; reasons and the revocation's document number are
      required. The application takes the workflow's "revoke" transition (audited, the
      unit notified), whose effect marks the designation revoked with today's date, the
      document number and the reasons: it leaves the public list and its certificate
      reads revoked at once.

    ValidationError by field for a missing or wrong input, and for a report that is not
    submitted (a draft, or decided already); TransitionError when the application cannot
    be revoked. Nothing is written then. One audit record of the decision; the unit is
    notified (by the workflow for a revocation)."""
    _require_province(actor)
    rectification = (rectification or "").strip()
    reason = (reason or "").strip()
    doc_number = (doc_number or "").strip()
    errors = _decision_errors(
        actor=actor,
        outcome=outcome,
        rectification=rectification,
        rectify_by=rectify_by,
        reason=reason,
        doc_number=doc_number,
    )
    if errors:
        raise ValidationError(errors)
    report = _lock_report(report)
    if report.status != ReportStatus.SUBMITTED:
        message = (
            _("This report is decided already.")
            if report.status == ReportStatus.DECIDED
            else _("Only a submitted report can be decided.")
        )
        raise ValidationError(message, code="state")
    designation = report.designation
    if outcome == Outcome.REVOKE:
        today = timezone.localdate()

        def revoke(application):
            locked = Designation.objects.select_for_update().get(pk=designation.pk, application=application)
            locked.status = DesignationStatus.REVOKED
            locked.revoked_on = today
            locked.revoke_doc_number = doc_number
            locked.revoke_reason = reason
            locked.save(update_fields=["status", "revoked_on", "revoke_doc_number", "revoke_reason"])

        transition(application=designation.application, name="revoke", actor=actor, reason=reason, effect=revoke)
    elif designation.status != DesignationStatus.ACTIVE:
        raise ValidationError(_("The title of this site is revoked already."), code="revoked")
    report.outcome = outcome
    report.rectification = rectification if outcome == Outcome.RECTIFY else ""
    report.rectify_by = rectify_by if outcome == Outcome.RECTIFY else None
    report.decision_reason = reason
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.status = ReportStatus.DECIDED
    report.save(
        update_fields=[
            "outcome",
            "rectification",
            "rectify_by",
            "decision_reason",
            "decided_by",
            "decided_at",
            "status",
            "updated_at",
        ]
    )
    details = {"round": report.round_id, "designation": designation.pk}
    if outcome == Outcome.RECTIFY:
        details |= {"rectify_by": rectify_by.isoformat(), "rectification": rectification}
    if outcome == Outcome.REVOKE:
        details |= {"doc_number": doc_number, "certificate": designation.certificate_number}
    record_event(
        actor=actor,
        action=f"designation.review_{outcome}",
        obj=report,
        from_state=ReportStatus.SUBMITTED,
        to_state=outcome,
        reason=reason,
        details=details,
    )
    if outcome != Outcome.REVOKE:
        # The workflow tells the unit of a revocation, with the reasons.
        if outcome == Outcome.RECTIFY:
            title = translatable(gettext_lazy("Yearly review: rectify by %(date)s"), date=rectify_by.isoformat())
            body = rectification
        else:
            title = gettext_lazy("Yearly review: your site keeps its title")
            body = reason
        notify(
            recipients=list(_operators_of([designation.unit_id])),
            title=title,
            body=body,
            url=_report_url(report),
            actor=actor,
            kind=f"designation.review_{outcome}",
        )
    return report


def report_counts(review: ReviewRound) -> dict:
    """How many reports of `review` are in each status, and decided with each outcome
    (one query)."""
    counts = review.reports.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in ReportStatus.values},
        **{f"outcome_{outcome}": Count("pk", filter=Q(outcome=outcome)) for outcome in Outcome.values},
    )
    return counts


def round_annotations() -> dict:
    """Counts to annotate rounds with: reports in all, submitted (waiting), decided."""
    return {
        "report_count": Count("reports"),
        "submitted_count": Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
        "decided_count": Count("reports", filter=Q(reports__status=ReportStatus.DECIDED)),
    }


def report_annotations() -> dict:
    """Counts to annotate reports with: their files."""
    return {"file_count": Count("files")}
