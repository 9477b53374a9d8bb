"""Reads of the reports app: the figures of a subtree (one function, shared by the
workspace and the frozen statistics of a progress report), the lists behind them, and
the reporting periods of a campaign."""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from applications.models import Application, State
from core.caching import get_or_compute_once
from core.roles import PROVINCE_ROLES, Role
from designations.models import Designation, DesignationStatus
from organisations.models import ASSOCIATION_KINDS, Kind, Organisation, Status
from organisations.scoping import subtree_q
from plans.models import Plan, PlanStep, overdue_q
from reports.labels import STATISTIC_LABELS, state_label
from reports.models import (
    DEFAULT_GRACE_DAYS,
    MONTHS_PER_PERIOD,
    Frequency,
    ProgressReport,
    ReportingSchedule,
    ReportState,
    UnitReminder,
)

# The application states a workspace counts: every state an association can see (a
# unit's draft is its own until submitted).
COUNTED_STATES = tuple(state for state in State if state != State.DRAFT)

# The lists behind the workspace's numbers (?show=...).
SHOW_ALL = "all"
SHOW_WITH_PLAN = "with-plan"
SHOW_WITHOUT_PLAN = "without-plan"
SHOW_OVERDUE = "overdue"
SHOW_NOT_STARTED = "not-started"
SHOW_APPLIED = "applied"
SHOW_NAMED = "named"

# The workspace's figures are never stale by more than a minute (issue 8, as the
# dashboard's); a setting may shorten it, never lengthen it.
MAX_CACHE_SECONDS = 60


# Figures


def _plans(campaign):
    return Plan.objects.filter(campaign=campaign, unit=OuterRef("pk"))


def _applications(campaign):
    return Application.objects.filter(campaign=campaign, unit=OuterRef("pk"))


def _overdue_steps(campaign, today):
    return PlanStep.objects.filter(overdue_q(today), plan__campaign=campaign, plan__unit=OuterRef("pk"))


def _counted_applications(campaign):
    return Application.objects.filter(campaign=campaign, state__in=COUNTED_STATES, submitted_at__isnull=False)


def units_within(path: str):
    """The active grassroots units at or below the organisation with `path`."""
    return Organisation.objects.within_path(path).units().active()


def subtree_statistics(*, path: str, campaign, today: datetime.date) -> dict:
    """The figures of the active units at or below `path` in `campaign` on `today`, as
    plain JSON (a progress report freezes exactly this dict):

    units, with_plan, not_started (neither a plan nor any application, drafts
    included), overdue_steps and units_with_overdue (steps past their deadline and not
    done), applications ({state: units with an application in that state}, submitted
    ones only), applications_total, named (active named sites). Six queries, whatever
    the size of the subtree. Access is the caller's business."""
    active_unit = Q(**{"unit__kind": Kind.UNIT, "unit__status": Status.ACTIVE}) & subtree_q(path, prefix="unit__")
    units = units_within(path)
    overdue = PlanStep.objects.filter(
        overdue_q(today),
        subtree_q(path, prefix="plan__unit__"),
        plan__campaign=campaign,
        plan__unit__kind=Kind.UNIT,
        plan__unit__status=Status.ACTIVE,
    ).aggregate(steps=Count("pk"), units=Count("plan__unit", distinct=True))
    by_state = dict(
        _counted_applications(campaign)
        .filter(active_unit)
        .order_by()
        .values_list("state")
        .annotate(n=Count("unit", distinct=True))
    )
    applications = {str(state): by_state.get(state, 0) for state in COUNTED_STATES}
    return {
        "units": units.count(),
        "with_plan": Plan.objects.filter(active_unit, campaign=campaign).count(),
        "not_started": units.exclude(Exists(_plans(campaign))).exclude(Exists(_applications(campaign))).count(),
        "overdue_steps": overdue["steps"],
        "units_with_overdue": overdue["units"],
        "applications": applications,
        "applications_total": _counted_applications(campaign).filter(active_unit).values("unit").distinct().count(),
        "named": Designation.objects.filter(active_unit, campaign=campaign, status=DesignationStatus.ACTIVE).count(),
    }


def cache_seconds() -> int:
    return min(getattr(settings, "WORKSPACE_CACHE_SECONDS", MAX_CACHE_SECONDS), MAX_CACHE_SECONDS)


def workspace_statistics(*, path: str, campaign, today: datetime.date) -> dict:
    """subtree_statistics() for the workspace page, served from the cache when the same
    subtree's figures were counted less than a minute ago (an association of a large
    city has tens of thousands of units to count). The key holds what decides the
    figures, the subtree's path above all, never the reader: the association and the
    province reading its workspace share them, two associations never do. The figures
    are numbers only, so the language is not part of the key. A progress report freezes
    subtree_statistics() itself, never these."""
    key = f"reports:workspace:v1:{campaign.pk}:{today.isoformat()}:{path}"
    return get_or_compute_once(
        key, lambda: subtree_statistics(path=path, campaign=campaign, today=today), cache_seconds()
    )


def statistic_rows(statistics: dict) -> list[tuple[str, str, int]]:
    """(key, label, value) of `statistics` in reading order, for pages and documents."""
    rows = [(key, str(label), statistics.get(key, 0)) for key, label in STATISTIC_LABELS.items()]
    for state in COUNTED_STATES:
        rows.append((f"state:{state}", state_label(state), statistics.get("applications", {}).get(str(state), 0)))
    return rows


# The lists behind the figures


@dataclass(frozen=True)
class UnitFilters:
    show: str = SHOW_ALL
    state: str = ""
    query: str = ""
    sector: str = ""


def units_for_list(*, path: str, campaign, today: datetime.date, filters: UnitFilters):
    """The active units at or below `path`, annotated with has_plan, has_application,
    overdue_count, application_state (of the newest submitted application),
    reminded_today, and filtered as the workspace's number that links here counts them.
    One query per page (subqueries, no JOIN that the paginator's COUNT would keep)."""
    overdue_count = (
        _overdue_steps(campaign, today).order_by().values("plan__unit").annotate(n=Count("pk")).values("n")[:1]
    )
    newest_state = (
        _counted_applications(campaign).filter(unit=OuterRef("pk")).order_by("-submitted_at", "-pk").values("state")
    )
    units = units_within(path)
    if filters.show == SHOW_WITH_PLAN:
        units = units.filter(Exists(_plans(campaign)))
    elif filters.show == SHOW_WITHOUT_PLAN:
        units = units.exclude(Exists(_plans(campaign)))
    elif filters.show == SHOW_OVERDUE:
        units = units.filter(Exists(_overdue_steps(campaign, today)))
    elif filters.show == SHOW_NOT_STARTED:
        units = units.exclude(Exists(_plans(campaign))).exclude(Exists(_applications(campaign)))
    elif filters.show == SHOW_APPLIED:
        units = units.filter(Exists(_counted_applications(campaign).filter(unit=OuterRef("pk"))))
    elif filters.show == SHOW_NAMED:
        units = units.filter(
            Exists(Designation.objects.filter(campaign=campaign, unit=OuterRef("pk"), status=DesignationStatus.ACTIVE))
        )
    if filters.state:
        units = units.filter(Exists(_counted_applications(campaign).filter(unit=OuterRef("pk"), state=filters.state)))
    if filters.query:
        units = units.filter(name__icontains=filters.query)
    if filters.sector:
        units = units.filter(sector=filters.sector)
    return (
        units.select_related("parent")
        .annotate(
            has_plan=Exists(_plans(campaign)),
            has_application=Exists(_applications(campaign)),
            overdue_count=Coalesce(Subquery(overdue_count, output_field=IntegerField()), 0),
            application_state=Subquery(newest_state[:1]),
            reminded_today=Exists(UnitReminder.objects.filter(unit=OuterRef("pk"), sent_on=today)),
        )
        .order_by("path")
    )


def behind_units(*, path: str, campaign, today: datetime.date, pks):
    """The units among `pks` at or below `path` that are behind on `today`: not started
    (no plan, no application) or with an overdue step. Units outside `path` or not
    behind are silently left out: the caller only ever offered these."""
    return (
        units_within(path)
        .filter(pk__in=pks)
        .filter(
            (~Exists(_plans(campaign)) & ~Exists(_applications(campaign))) | Exists(_overdue_steps(campaign, today))
        )
        .annotate(reminded_today=Exists(UnitReminder.objects.filter(unit=OuterRef("pk"), sent_on=today)))
        .order_by("path")
    )


def workspace_organisation(user, pk=None) -> Organisation:
    """The association whose workspace `user` opens: its own for an association (pk
    ignored), any association (pk) for the province. Http404 for anything else."""
    if user.role == Role.ASSOCIATION and pk is None:
        return user.organisation
    if user.role in PROVINCE_ROLES and pk is not None:
        try:
            return Organisation.objects.visible_to(user).associations().get(pk=pk)
        except Organisation.DoesNotExist as error:
            raise Http404 from error
    raise Http404


def associations_for_choice(user):
    """The associations the province may open a workspace of, in tree order."""
    return Organisation.objects.visible_to(user).associations().active().select_related("parent").order_by("path")


# Reporting periods


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    def is_late_on(self, today: datetime.date) -> bool:
        """A report not submitted by the end of the due day is late."""
        return today > self.due


def schedule_of(campaign) -> ReportingSchedule:
    """The campaign's schedule, or (for the form) an unsaved default that is not in force:
    monthly from the current month."""
    try:
        return campaign.reporting_schedule
    except ReportingSchedule.DoesNotExist:
        return ReportingSchedule(
            campaign=campaign,
            starts_on=first_of_month(timezone.localdate()),
            frequency=Frequency.MONTHLY,
            grace_days=DEFAULT_GRACE_DAYS,
        )


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _period_containing(day: datetime.date, schedule: ReportingSchedule) -> Period:
    months = MONTHS_PER_PERIOD[schedule.frequency]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(start=start, end=end, due=end + datetime.timedelta(days=schedule.grace_days))


def _reporting_start(campaign, schedule: ReportingSchedule) -> datetime.date | None:
    """The first day reported on: the schedule's start month, not before the campaign's
    start; None while the province has set no schedule."""
    if schedule.pk is None:
        return None
    return max(schedule.starts_on, first_of_month(campaign.start_date))


def periods_of(campaign, today: datetime.date) -> list[Period]:
    """The reporting periods of `campaign` that have begun by `today` (and not after the
    campaign's end), newest first: none before the province sets the schedule. Calendar
    months, quarters or half-years; the first one begins on the schedule's start (a
    quarterly schedule set in November first covers November and December)."""
    schedule = schedule_of(campaign)  # once: a campaign without one is asked again each time
    start = _reporting_start(campaign, schedule)
    if start is None:
        return []
    last_day = min(today, campaign.end_date) if campaign.end_date else today
    periods = []
    period = _period_containing(start, schedule)
    period = Period(start=start, end=period.end, due=period.due)
    while period.start <= last_day:
        periods.append(period)
        period = _period_containing(period.end + datetime.timedelta(days=1), schedule)
    periods.reverse()
    return periods


def period_or_404(campaign, key: str, today: datetime.date) -> Period:
    """The period of `campaign` that starts on `key` (YYYY-MM-DD); Http404 when there is
    no such period (yet)."""
    try:
        start = datetime.date.fromisoformat(key)
    except ValueError as error:
        raise Http404 from error
    for period in periods_of(campaign, today):
        if period.start == start:
            return period
    raise Http404


def reporters():
    """The associations that report to the province: the active associations directly
    below it (cities, industry systems, provincial departments, counties it governs)."""
    return Organisation.objects.filter(
        kind__in=ASSOCIATION_KINDS, parent__kind=Kind.PROVINCE, status=Status.ACTIVE
    ).order_by("path")


def is_reporter(organisation) -> bool:
    return reporters().filter(pk=organisation.pk).exists()


def period_overview(campaign, periods: list[Period], today: datetime.date) -> list[dict]:
    """For the province: per period, how many reporters there are, how many submitted,
    how many are late. Two queries whatever the number of periods."""
    expected = reporters().count()
    submitted = dict(
        ProgressReport.objects.filter(campaign=campaign, association__in=reporters())
        .submitted()
        .order_by()
        .values_list("period_start")
        .annotate(n=Count("pk"))
    )
    rows = []
    for period in periods:
        done = submitted.get(period.start, 0)
        rows.append(
            {
                "period": period,
                "expected": expected,
                "submitted": done,
                "late": expected - done if period.is_late_on(today) else 0,
            }
        )
    return rows


def own_reports_by_period(user, campaign) -> dict:
    """The association's own reports of `campaign`, by period start."""
    reports = ProgressReport.objects.visible_to(user).filter(campaign=campaign)
    return {report.period_start: report for report in reports}


REPORT_FILTERS = ("", "submitted", "missing", "late")


def reporters_for_period(*, campaign, period: Period, today: datetime.date, status: str = ""):
    """The reporters of the province with `report_id` and `submitted_at` of their
    submitted report for `period` (None where there is none). `status` keeps the
    submitted ones, the missing ones, or the late ones (missing and past the due day)."""
    submitted = ProgressReport.objects.submitted().filter(
        campaign=campaign, period_start=period.start, association=OuterRef("pk")
    )
    rows = reporters().select_related("parent")
    if status == "submitted":
        rows = rows.filter(Exists(submitted))
    elif status == "missing" or (status == "late" and period.is_late_on(today)):
        rows = rows.exclude(Exists(submitted))
    elif status == "late":
        rows = rows.none()
    return rows.annotate(
        report_id=Subquery(submitted.values("pk")[:1]), submitted_at=Subquery(submitted.values("submitted_at")[:1])
    )


def late_reporters(*, campaign, period: Period, today: datetime.date):
    return reporters_for_period(campaign=campaign, period=period, today=today, status="late")


def reports_of_period(user, *, campaign, period: Period):
    """The submitted reports of `period` `user` may read, in tree order, for the exports."""
    return (
        ProgressReport.objects.visible_to(user)
        .filter(campaign=campaign, period_start=period.start, state=ReportState.SUBMITTED)
        .select_related("association", "submitted_by", "campaign")
        .prefetch_related("comments__author")
        .order_by("association__path")
    )


def report_for_page(user, pk) -> ProgressReport:
    """The report `pk` if `user` may read it (Http404 otherwise), with what its page shows."""
    try:
        return (
            ProgressReport.objects.visible_to(user).select_related("association", "campaign", "submitted_by").get(pk=pk)
        )
    except ProgressReport.DoesNotExist as error:
        raise Http404 from error
