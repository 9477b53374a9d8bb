"""Writes of the applications app: self-assessment, submission, registration, review.

Every state change goes through applications.workflow.transition(); the functions here
add what each step needs (checks, the frozen snapshot, the registration number, the
review record) as the transition's effect, so that it happens under the same row lock.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import (
    Application,
    ApplicationIndicator,
    Decision,
    Recommendation,
    RegistrationCounter,
    Review,
    ReviewNote,
    Snapshot,
    State,
)
from applications.workflow import transition
from audit.services import record_event
from campaigns.models import Indicator
from campaigns.scoring import evaluate, format_score, validate_score
from campaigns.selectors import current_version
from core.concurrency import check_unchanged, fingerprint_of
from core.roles import Role
from materials.selectors import snapshot_files_for


def _require_operator(actor, unit) -> None:
    if not (actor.is_authenticated and actor.role == Role.UNIT and actor.organisation_id == unit.pk):
        raise PermissionDenied


@transaction.atomic
def start_application(*, actor, unit, campaign) -> Application:
    """The unit's application under way in `campaign`, created as a draft with one empty
    self-assessment row per indicator of the standard in force when none is open.
    Raises ValidationError when the campaign has no published standard."""
    _require_operator(actor, unit)
    existing = Application.objects.filter(unit=unit, campaign=campaign).open().first()
    if existing is not None:
        return existing
    version = current_version(campaign)
    if version is None:
        raise ValidationError(_("This campaign has no standard in force yet."), code="no_standard")
    try:
        with transaction.atomic():
            application = Application.objects.create(unit=unit, campaign=campaign, version=version)
    except IntegrityError:
        # Two tabs started at once: the other one won, use its draft.
        return Application.objects.filter(unit=unit, campaign=campaign).open().get()
    indicators = Indicator.objects.filter(category__version=version)
    ApplicationIndicator.objects.bulk_create(
        [ApplicationIndicator(application=application, indicator=indicator) for indicator in indicators]
    )
    record_event(actor=actor, action="application.create", obj=application, to_state=State.DRAFT)
    return application


INDICATOR_ROW_FIELDS = ("score", "account")


def indicator_token(row: ApplicationIndicator) -> str:
    """The edit token of one self-assessment row as saved now."""
    return fingerprint_of(row, INDICATOR_ROW_FIELDS)


@transaction.atomic
def save_indicator(
    *, actor, application: Application, indicator_id: int, score, account: str, edit_token: str | None = None
) -> ApplicationIndicator:
    """Save the unit's own score (None for not yet) and account of one indicator while the
    application is editable. Raises PermissionDenied for anyone but the unit's operator,
    ValidationError (by field) for a score off the scale or an application under review,
    EditConflict when the row changed since the page (or the offline draft replayed now)
    showed `edit_token`: another tab, another device.
    Autosave calls this on every change; it is not audited row by row (the submission is)."""
    _require_operator(actor, application.unit)
    row = (
        ApplicationIndicator.objects.select_for_update(of=("self",))
        .select_related("indicator", "application")
        .filter(application=application, indicator_id=indicator_id)
        .first()
    )
    if row is None:
        raise ValidationError(_("This indicator is not part of the application."), code="indicator")
    if not row.application.is_editable:
        raise ValidationError(_("The application has been submitted: it can no longer change."), code="frozen")
    if score is not None:
        try:
            validate_score(score, max_score=row.indicator.max_score)
        except ValidationError as error:
            raise ValidationError({"score": error.messages}) from error
    check_unchanged(row, token=edit_token, values={"score": score, "account": account})
    row.score = score
    row.account = account
    row.save(update_fields=["score", "account", "updated_at"])
    return row


@dataclass(frozen=True)
class Problem:
    """Something that stops a submission, with the indicator it concerns if any."""

    message: str
    indicator_id: int | None = None


def evaluation_of(application: Application):
    rows = list(application.indicators.all())
    scores = {row.indicator_id: row.score for row in rows if row.score is not None}
    return evaluate(application.version, scores)


def submission_problems(application: Application) -> list[Problem]:
    """What is missing before `application` may be submitted: a score or evidence for an
    indicator, or the work summary. Empty when it may go."""
    files = snapshot_files_for(unit=application.unit, campaign=application.campaign)
    with_evidence = {item["indicator"] for item in files["evidence"]}
    problems = []
    rows = application.indicators.select_related("indicator__category").order_by(
        "indicator__category__order", "indicator__order"
    )
    for row in rows:
        label = f"（{row.indicator.category.code}）{row.indicator.order}"
        if row.score is None:
            problems.append(Problem(_("Indicator %(label)s has no self-score.") % {"label": label}, row.indicator_id))
        if row.indicator_id not in with_evidence:
            problems.append(
                Problem(_("Indicator %(label)s has no evidence file.") % {"label": label}, row.indicator_id)
            )
    if files["work_summary"] is None:
        problems.append(Problem(_("The work summary (工作总结) has not been uploaded.")))
    return problems


def _freeze_snapshot(application: Application) -> Snapshot:
    """The submitted content as plain data: it no longer depends on rows that may change."""
    rows = list(
        application.indicators.select_related("indicator__category").order_by(
            "indicator__category__order", "indicator__order"
        )
    )
    files = snapshot_files_for(unit=application.unit, campaign=application.campaign)
    application.round += 1
    application.save(update_fields=["round"])
    return Snapshot.objects.create(
        application=application, round=application.round, data=snapshot_data(application, rows, files)
    )


def snapshot_data(application: Application, rows, files: dict, *, totals=None) -> dict:
    """What a snapshot keeps of `application`: its indicator `rows` (ApplicationIndicator
    with indicator__category, in the standard's order), the unit's `files`
    (materials.selectors.snapshot_files_for) and the evaluation of the scores (`totals`
    of the standard's version when the caller has them)."""
    evidence = {}
    for item in files["evidence"]:
        evidence.setdefault(item["indicator"], []).append(item)
    scores = {row.indicator_id: row.score for row in rows if row.score is not None}
    result = evaluate(application.version, scores, totals=totals)
    return {
        "version": application.version_id,
        "indicators": [
            {
                "id": row.indicator_id,
                "category": row.indicator.category.code,
                "category_name": row.indicator.category.name,
                "order": row.indicator.order,
                "text": row.indicator.text,
                "max": format_score(row.indicator.max_score),
                "score": format_score(row.score) if row.score is not None else None,
                "account": row.account,
                "evidence": evidence.get(row.indicator_id, []),
            }
            for row in rows
        ],
        "work_summary": files["work_summary"],
        "supporting": files["supporting"],
        "total": format_score(result.total),
        "max_total": format_score(result.max_total),
        "meets_threshold": result.meets_threshold,
        "categories": [
            {
                "code": c.category.code,
                "subtotal": format_score(c.subtotal),
                "max": format_score(c.max_total),
                "passed": c.passed,
            }
            for c in result.categories
        ],
    }


def submit_application(*, actor, application: Application, confirm_below_threshold: bool = False) -> Application:
    """Submit (or, after a return, resubmit) the self-assessment. Refused with the list of
    problems while anything is missing; a self-score below the naming threshold needs
    `confirm_below_threshold`. Freezes a snapshot of this round."""
    name = "resubmit" if application.state == State.RETURNED else "submit"

    def effect(locked):
        problems = submission_problems(locked)
        if problems:
            raise ValidationError([p.message for p in problems], code="incomplete")
        if not evaluation_of(locked).meets_threshold and not confirm_below_threshold:
            raise ValidationError(
                _("Your self-score does not reach the naming threshold. Confirm that you want to apply anyway."),
                code="below_threshold",
            )
        _freeze_snapshot(locked)

    return transition(application=application, name=name, actor=actor, effect=effect)


def withdraw_application(*, actor, application: Application) -> Application:
    """Take a submitted, not yet registered application back to the draft."""
    return transition(application=application, name="withdraw", actor=actor)


def register_application(*, actor, application: Application) -> Application:
    """Register (登记备案) a submitted application: it gets the next serial of its campaign
    in the year of registration and its number from the campaign's pattern (e.g.
    2026-00007). The counter row of the campaign and year is locked, so two staff
    registering at the same moment get consecutive numbers with no gap and no duplicate.
    An application registered before keeps its number."""

    def effect(locked):
        if locked.registration_number is not None:
            return
        year = timezone.localdate().year
        RegistrationCounter.objects.get_or_create(campaign_id=locked.campaign_id, year=year)
        counter = (
            RegistrationCounter.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .get(campaign_id=locked.campaign_id, year=year)
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        fields = counter.fields_of(counter.last_number)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))

    return transition(application=application, name="register", actor=actor, effect=effect)


def review_application(
    *, actor, application: Application, decision: str, reason: str = "", notes: dict[int, str] | None = None
) -> Review:
    """Record the preliminary review of the current round and take its transition:
    pass → awaiting inspection, return → returned (reasons and notes shown to the unit),
    reject → rejected. Return and reject need reasons."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    notes = {pk: text.strip() for pk, text in (notes or {}).items() if text and text.strip()}
    created = {}

    def effect(locked):
        known = set(locked.indicators.values_list("indicator_id", flat=True))
        if set(notes) - known:
            raise ValidationError(_("Some notes concern indicators outside this application."))
        review = Review.objects.create(
            application=locked, round=locked.round, reviewer=actor, decision=decision, reason=reason.strip()
        )
        ReviewNote.objects.bulk_create(
            [ReviewNote(review=review, indicator_id=pk, note=text) for pk, text in notes.items()]
        )
        created["review"] = review

    transition(application=application, name=decision, actor=actor, reason=reason, effect=effect)
    return created["review"]


@transaction.atomic
def recommend_application(*, actor, application: Application, text: str) -> Recommendation:
    """An association's recommendation opinion (推荐意见), when the campaign allows them.
    One per association and application; writing again replaces the text (audited)."""
    text = (text or "").strip()
    if actor.role != Role.ASSOCIATION or not actor.organisation.contains(application.unit):
        raise PermissionDenied
    if not application.campaign.recommendations_enabled:
        raise ValidationError(_("This campaign does not take recommendations."), code="disabled")
    if not text:
        raise ValidationError({"text": _("Write the recommendation.")})
    recommendation, created = Recommendation.objects.update_or_create(
        application=application, association=actor.organisation, defaults={"author": actor, "text": text}
    )
    record_event(actor=actor, action="application.recommend", obj=application, details={"created": created})
    return recommendation
