"""Every write of the reports app. Each is atomic, names its actor, leaves one audit
record per thing it changes and notifies the people concerned inside the same
transaction (notify sends its e-mails after the commit)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import apply_changes, record_event
from core.concurrency import check_unchanged, check_values, fingerprint, fingerprint_of
from core.roles import PROVINCE_ROLES, Role
from notifications.services import notify, translatable
from reports import selectors
from reports.models import ProgressReport, ReportComment, ReportingSchedule, ReportState, UnitReminder

MESSAGE_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 4000


def _operators_of(units):
    return User.objects.filter(role=Role.UNIT, organisation__in=units, is_active=True)


def _association_users(association_ids):
    return User.objects.filter(role=Role.ASSOCIATION, organisation_id__in=association_ids, is_active=True)


def _province_users():
    return User.objects.filter(role__in=PROVINCE_ROLES, is_active=True)


def _period_label(report_or_period) -> str:
    start = getattr(report_or_period, "period_start", None) or report_or_period.start
    end = getattr(report_or_period, "period_end", None) or report_or_period.end
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


@transaction.atomic
def remind_units(*, actor, units, campaign, today: datetime.date, message: str = "") -> tuple[list, list]:
    """Remind each of `units` (already checked to be behind and in `actor`'s scope) to
    get on with the campaign: one UnitReminder, one audit record and a notification (in
    the platform and by e-mail) to its active operators. A unit reminded already on
    `today` is skipped: at most one reminder per unit and day. Returns (reminded,
    skipped) units."""
    if actor.role not in (Role.ASSOCIATION, *PROVINCE_ROLES):
        raise PermissionDenied
    message = message.strip()[:MESSAGE_MAX_LENGTH]
    reminded, skipped = [], []
    for unit in units:
        try:
            # A savepoint per unit: a concurrent reminder of the same unit loses on the
            # constraint without undoing the others.
            with transaction.atomic():
                UnitReminder.objects.create(unit=unit, campaign=campaign, sent_on=today, sent_by=actor, message=message)
        except IntegrityError:
            skipped.append(unit)
            continue
        record_event(actor=actor, action="reports.unit_remind", obj=unit, details={"campaign": campaign.pk})
        reminded.append(unit)
    if reminded:
        notify(
            recipients=_operators_of(reminded),
            title=translatable(
                gettext_lazy("%(association)s reminds you to get on with the campaign"),
                association=actor.organisation.name,
            ),
            body=message or gettext_lazy("Write or update your creation plan and keep its steps on time."),
            url=reverse("plans:mine"),
            actor=actor,
            kind="reports.unit_reminded",
        )
    return reminded, skipped


SCHEDULE_FIELDS = ("starts_on", "frequency", "grace_days")
REPORT_TEXT_FIELDS = ("narrative", "practices", "problems")


def schedule_token(schedule: ReportingSchedule) -> str:
    """The edit token of a reporting schedule (saved or the unsaved default) as it is now."""
    return fingerprint_of(schedule, SCHEDULE_FIELDS)


def report_token(report: ProgressReport | None) -> str:
    """The edit token of a draft progress report's texts (None: not started yet)."""
    return fingerprint(_report_texts(report))


def _report_texts(report: ProgressReport | None) -> dict:
    return {name: getattr(report, name) if report is not None else "" for name in REPORT_TEXT_FIELDS}


@transaction.atomic
def save_schedule(
    *, actor, campaign, starts_on, frequency: str, grace_days: int, edit_token: str | None = None
) -> ReportingSchedule:
    """Set from which month (`starts_on`, taken as its month) and how often `campaign`'s
    associations report. The provincial administrator only (PermissionDenied);
    ValidationError on a bad value; EditConflict when the schedule changed since the form
    showed `edit_token`. Audited with what changed."""
    if actor.role != Role.PROVINCE_ADMIN:
        raise PermissionDenied
    values = {"starts_on": starts_on.replace(day=1), "frequency": frequency, "grace_days": grace_days}
    candidate = ReportingSchedule(campaign=campaign, **values)
    candidate.full_clean(validate_unique=False)
    # get_or_create: two administrators setting the first schedule at once do not both insert.
    schedule, created = ReportingSchedule.objects.select_for_update().get_or_create(campaign=campaign, defaults=values)
    if created:
        details = {"set": {name: str(getattr(schedule, name)) for name in SCHEDULE_FIELDS}}
    else:
        check_unchanged(schedule, token=edit_token, values=values)
        details = {"changed": apply_changes(schedule, names=SCHEDULE_FIELDS, values=values)}
        schedule.save()
    record_event(
        actor=actor,
        action="reports.schedule_create" if created else "reports.schedule_update",
        obj=schedule,
        details=details,
    )
    return schedule


def _require_reporter(actor):
    if actor.role != Role.ASSOCIATION or not selectors.is_reporter(actor.organisation):
        raise PermissionDenied


@transaction.atomic
def save_report(
    *,
    actor,
    campaign,
    period,
    narrative: str,
    practices: str = "",
    problems: str = "",
    edit_token: str | None = None,
) -> ProgressReport:
    """Create or update the draft report of `actor`'s association for `period`, with
    its statistics refreshed as of today. Only an association that reports to the
    province (PermissionDenied); ValidationError once the report is submitted or on a
    bad field; EditConflict when another member of the association saved the draft
    since the form showed `edit_token`. Audited."""
    _require_reporter(actor)
    association = actor.organisation
    report = (
        ProgressReport.objects.select_for_update()
        .filter(campaign=campaign, association=association, period_start=period.start)
        .first()
    )
    created = report is None
    if created:
        report = ProgressReport(
            campaign=campaign,
            association=association,
            period_start=period.start,
            period_end=period.end,
            created_by=actor,
        )
    elif report.is_submitted:
        raise ValidationError(_("This report was submitted and can no longer be changed."))
    if created:
        # Two people starting the same period's report: the second finds no row to lock,
        # so the unique (campaign, association, period) constraint refuses its insert.
        check_values(
            token=edit_token,
            current=_report_texts(None),
            new={"narrative": narrative, "practices": practices, "problems": problems},
            history=association,
        )
    else:
        check_unchanged(
            report, token=edit_token, values={"narrative": narrative, "practices": practices, "problems": problems}
        )
    report.narrative, report.practices, report.problems = narrative.strip(), practices.strip(), problems.strip()
    today = timezone.localdate()
    report.statistics = selectors.subtree_statistics(path=association.path, campaign=campaign, today=today)
    report.statistics_as_of = today
    report.full_clean()
    report.save()
    record_event(actor=actor, action="reports.report_create" if created else "reports.report_update", obj=report)
    return report


@transaction.atomic
def submit_report(*, actor, report: ProgressReport) -> ProgressReport:
    """Submit the draft `report` of `actor`'s association: its statistics are computed
    as of today and frozen with it; it is read-only from now on. PermissionDenied for
    anyone else; ValidationError when it is no longer a draft. Audited; the province's
    users are notified."""
    _require_reporter(actor)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.association_id != actor.organisation_id:
        raise PermissionDenied
    if report.is_submitted:
        raise ValidationError(_("This report was submitted already."))
    if not report.narrative.strip():
        raise ValidationError({"narrative": _("Describe the progress of the work before submitting.")})
    today = timezone.localdate()
    report.statistics = selectors.subtree_statistics(
        path=report.association.path, campaign=report.campaign, today=today
    )
    report.statistics_as_of = today
    report.state = ReportState.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save(update_fields=["statistics", "statistics_as_of", "state", "submitted_by", "submitted_at", "updated_at"])
    record_event(
        actor=actor, action="reports.report_submit", obj=report, from_state=ReportState.DRAFT, to_state=report.state
    )
    notify(
        recipients=_province_users(),
        title=translatable(
            gettext_lazy("%(association)s submitted its progress report for %(period)s"),
            association=report.association.name,
            period=_period_label(report),
        ),
        url=reverse("reports:report-detail", kwargs={"pk": report.pk}),
        actor=actor,
        kind="reports.report_submitted",
    )
    return report


@transaction.atomic
def comment_on_report(*, actor, report: ProgressReport, text: str) -> ReportComment:
    """The province's comment on a submitted report; the association's users are
    notified. PermissionDenied for anyone else; ValidationError on an empty or too long
    text. Audited."""
    if actor.role not in PROVINCE_ROLES or not report.is_submitted:
        raise PermissionDenied
    comment = ReportComment(report=report, author=actor, text=text.strip())
    comment.full_clean()
    comment.save()
    record_event(actor=actor, action="reports.report_comment", obj=report, details={"comment": comment.pk})
    notify(
        recipients=_association_users([report.association_id]),
        title=translatable(
            gettext_lazy("The province commented on your progress report for %(period)s"), period=_period_label(report)
        ),
        body=comment.text,
        url=reverse("reports:report-detail", kwargs={"pk": report.pk}),
        actor=actor,
        kind="reports.report_commented",
    )
    return comment


@transaction.atomic
def remind_late_reporters(*, actor, campaign, period, today: datetime.date) -> list:
    """Remind every association late with its report for `period` (past the due day, no
    submitted report): one audit record per association, a notification to its users.
    The province only (PermissionDenied). Returns the associations reminded."""
    if actor.role not in PROVINCE_ROLES:
        raise PermissionDenied
    late = list(selectors.late_reporters(campaign=campaign, period=period, today=today))
    for association in late:
        record_event(
            actor=actor,
            action="reports.report_remind",
            obj=association,
            details={"campaign": campaign.pk, "period": period.key},
        )
    if late:
        notify(
            recipients=_association_users([association.pk for association in late]),
            title=translatable(
                gettext_lazy("Your progress report for %(period)s is late"), period=_period_label(period)
            ),
            body=translatable(
                gettext_lazy("The report was due on %(due)s. Write and submit it under Progress reports."),
                due=f"{period.due:%Y-%m-%d}",
            ),
            url=reverse("reports:progress"),
            actor=actor,
            kind="reports.report_late",
        )
    return late
