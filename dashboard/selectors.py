"""The figures of the provincial dashboard (issue 6, item 3): reads only.

Every chart is one `Table` (row labels, column headers, numbers): the page draws it,
prints it as an HTML table and exports it as .xlsx from the same object, so the three
can never disagree. All counting happens in the database with grouped aggregates; Python
only walks the aggregated rows (a few dozen states, areas, months or day pairs). The
whole set is cached for at most a minute per filter combination and language.
"""

import datetime
import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from applications.models import Application, Decision, Review, State
from campaigns.scoring import rounded_score
from core.caching import get_or_compute_once
from dashboard.functions import LocalDate, LocalMonth
from designations.models import Designation
from inspections.models import InspectionStatus, Result, SheetScore
from organisations.models import Organisation, Sector
from organisations.scoping import subtree_q
from plans.models import Plan
from workdays.calendar import is_workday

# Never stale by more than a minute (issue 6); a setting may shorten it, never lengthen it.
MAX_CACHE_SECONDS = 60

# The states reached at or after each step of the funnel (an application moves on, so a
# later state implies the earlier steps were passed).
PASSED_REVIEW_STATES = (State.AWAITING_INSPECTION, State.SCORED, State.NAMED, State.NOT_NAMED, State.REVOKED)
SCORED_STATES = (State.SCORED, State.NAMED, State.NOT_NAMED, State.REVOKED)
NAMED_STATES = (State.NAMED, State.REVOKED)
# Drafts never reach the province (Application.objects.visible_to), so they have no column.
SHOWN_STATES = [state for state in State if state != State.DRAFT]

CHART_KEYS = ("funnel", "by-area", "by-sector", "over-time", "stage-times", "indicators", "area-scores")


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to. `area` is an organisation directly below the
    province (a city or system); months are the first day of the month, inclusive."""

    campaign_id: int | None = None
    area: Organisation | None = None
    sector: str = ""
    month_from: datetime.date | None = None
    month_to: datetime.date | None = None

    def cache_key(self, user) -> str:
        area = self.area.pk if self.area else ""
        months = f"{self.month_from or ''}:{self.month_to or ''}"
        return f"dashboard:v2:{user.role}:{get_language()}:{self.campaign_id}:{area}:{self.sector}:{months}"


@dataclass
class Table:
    """One chart's figures. `rows` are (label, [numbers]) in display order; `kind` tells
    the script which ECharts chart to draw."""

    key: str
    title: str
    label_header: str
    columns: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)
    kind: str = "bar"
    # The columns drawn (all when None): counts of applications behind an average are
    # for the table, not for the bars.
    charted: list[int] | None = None

    def __post_init__(self):
        # Lazy translations (state and sector labels) become text now: the table is
        # cached, written to .xlsx and compared as plain values.
        self.title, self.label_header = str(self.title), str(self.label_header)
        self.columns = [str(column) for column in self.columns]
        self.rows = [(str(label), values) for label, values in self.rows]

    @property
    def is_empty(self) -> bool:
        return not any(value for _label, values in self.rows for value in values)

    def chart_data(self) -> dict:
        """The figures for the script, as json_script serialises them."""
        return {
            "kind": self.kind,
            "labels": [label for label, _values in self.rows],
            "series": [
                {"name": column, "values": [_plain(values[index]) for _label, values in self.rows]}
                for index, column in enumerate(self.columns)
                if self.charted is None or index in self.charted
            ],
        }


def _plain(value):
    return float(value) if value is not None and not isinstance(value, int) else value


def area_choices(user):
    """The cities and systems the dashboard can be narrowed to: the associations directly
    below the province, in tree order."""
    return Organisation.objects.visible_to(user).top_areas().in_official_order()


def cache_seconds() -> int:
    return min(getattr(settings, "DASHBOARD_CACHE_SECONDS", MAX_CACHE_SECONDS), MAX_CACHE_SECONDS)


def dashboard_tables(user, filters: Filters, areas: list[Organisation]) -> dict[str, Table]:
    """Every chart's table for `user` (a province role) under `filters`, keyed by CHART_KEYS.
    `areas` are the rows of the per-area charts (area_choices, already read by the view).
    Served from the cache when the same question was asked less than a minute ago."""
    return counted_tables(user, filters, areas)[1]


def counted_tables(user, filters: Filters, areas: list[Organisation]) -> tuple[str, dict[str, Table]]:
    """dashboard_tables() with the stamp of the count they come from: what is made of
    the tables (the rendered charts) is cached under that stamp, so it never outlives
    the figures it shows."""
    return get_or_compute_once(
        filters.cache_key(user), lambda: (uuid.uuid4().hex, _compute(user, filters, areas)), cache_seconds()
    )


def _application_q(filters: Filters, *, with_area: bool = True) -> Q:
    q = Q(campaign_id=filters.campaign_id)
    if with_area and filters.area is not None:
        q &= subtree_q(filters.area.path, prefix="unit__")
    if filters.sector:
        q &= Q(unit__sector=filters.sector)
    if filters.month_from:
        q &= Q(submitted_at__gte=_month_start(filters.month_from))
    if filters.month_to:
        q &= Q(submitted_at__lt=_month_start(_next_month(filters.month_to)))
    return q


def _month_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, 1))


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _compute(user, filters: Filters, areas: list[Organisation]) -> dict[str, Table]:
    applications = Application.objects.visible_to(user).filter(_application_q(filters))
    shown_areas = [filters.area] if filters.area is not None else areas
    tables = [
        _funnel(user, filters, applications),
        _by_area(applications, shown_areas),
        _by_sector(applications),
        _over_time(user, applications),
        _stage_times(user, applications),
        _indicators(applications),
        _area_scores(user, filters, shown_areas),
    ]
    return {table.key: table for table in tables}


def _funnel(user, filters: Filters, applications) -> Table:
    units = Organisation.objects.visible_to(user).units().active()
    plans = Plan.objects.visible_to(user).filter(campaign_id=filters.campaign_id)
    if filters.area is not None:
        units = units.within_path(filters.area.path)
        plans = plans.within_path(filters.area.path)
    if filters.sector:
        units = units.filter(sector=filters.sector)
        plans = plans.filter(unit__sector=filters.sector)

    def reached(q=None):
        return Count("unit", distinct=True, filter=q)

    counts = applications.aggregate(
        applied=reached(),
        registered=reached(Q(registration_number__isnull=False)),
        passed=reached(Q(state__in=PASSED_REVIEW_STATES)),
        scored=reached(Q(state__in=SCORED_STATES)),
        named=reached(Q(state__in=NAMED_STATES)),
    )
    rows = [
        (_("Units"), [units.count()]),
        (_("With a creation plan"), [plans.count()]),
        (_("Applied"), [counts["applied"]]),
        (_("Registered"), [counts["registered"]]),
        (_("Passed the preliminary review"), [counts["passed"]]),
        (_("Scored"), [counts["scored"]]),
        (_("Named"), [counts["named"]]),
    ]
    return Table("funnel", _("From plan to named"), _("Stage"), [_("Units")], rows, kind="funnel")


def _by_area(applications, areas: list[Organisation]) -> Table:
    """Applications per area and state in one query: one filtered count per area, since an
    application's area is a prefix of its unit's path, not a column to group by."""
    counts = {
        row["state"]: row
        for row in applications.values("state").annotate(
            **{f"a{area.pk}": Count("pk", filter=subtree_q(area.path, prefix="unit__")) for area in areas}
        )
    }
    rows = [(area.name, [counts.get(state, {}).get(f"a{area.pk}", 0) for state in SHOWN_STATES]) for area in areas]
    return Table(
        "by-area",
        _("Applications by city or system"),
        _("City or system"),
        [state.label for state in SHOWN_STATES],
        rows,
        kind="stacked",
    )


def _by_sector(applications) -> Table:
    counts = {
        (row["unit__sector"], row["state"]): row["n"]
        for row in applications.values("unit__sector", "state").annotate(n=Count("pk"))
    }
    rows = [(sector.label, [counts.get((sector.value, state.value), 0) for state in SHOWN_STATES]) for sector in Sector]
    return Table(
        "by-sector",
        _("Applications by sector"),
        _("Sector"),
        [state.label for state in SHOWN_STATES],
        rows,
        kind="stacked",
    )


def _per_month(queryset, field_name: str, *, is_date: bool = False) -> dict[str, int]:
    return {
        row["month"]: row["n"]
        for row in queryset.filter(**{f"{field_name}__isnull": False})
        .annotate(month=LocalMonth(field_name, is_date=is_date))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }


def _over_time(user, applications) -> Table:
    """Per month, of the filtered applications: how many were (last) submitted, registered
    and named. Months without any event between the first and the last are shown as 0."""
    series = [
        _per_month(applications, "submitted_at"),
        _per_month(applications, "registered_at"),
        _per_month(Designation.objects.visible_to(user).filter(application__in=applications), "named_on", is_date=True),
    ]
    months = sorted(set().union(*series))
    labels = _month_range(months[0], months[-1]) if months else []
    rows = [(month, [counts.get(month, 0) for counts in series]) for month in labels]
    return Table(
        "over-time",
        _("Applications over time"),
        _("Month"),
        [
            pgettext("applications per month", "Submitted"),
            pgettext("applications per month", "Registered"),
            pgettext("applications per month", "Named"),
        ],
        rows,
        kind="line",
    )


def _month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    labels = []
    while f"{year:04d}-{month:02d}" <= last:
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def _day_pairs(queryset, start, end) -> Counter:
    """How many rows go from each start day to each end day (local dates): one grouped
    query, so that working days are counted once per distinct pair, not per row."""
    return Counter(
        {
            (row["start"], row["end"]): row["n"]
            for row in queryset.annotate(start=start, end=end)
            .filter(start__isnull=False, end__isnull=False)
            .values("start", "end")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )


def _stage_times(user, applications) -> Table:
    """Median and 90th percentile (nearest rank) of the working days each stage took,
    for the filtered applications. The stamps are those of the current round: an
    application's submitted_at and registered_at move when it is resubmitted, so only a
    review after the current registration counts."""
    stages = [
        (
            _("Submitted → registered"),
            _day_pairs(
                applications.filter(registered_at__gte=F("submitted_at")),
                LocalDate("submitted_at"),
                LocalDate("registered_at"),
            ),
        ),
        (
            _("Registered → review decision"),
            _day_pairs(
                Review.objects.filter(application__in=applications, created_at__gte=F("application__registered_at")),
                LocalDate("application__registered_at"),
                LocalDate("created_at"),
            ),
        ),
        (
            _("Awaiting inspection → scored"),
            _day_pairs(
                Review.objects.filter(
                    application__in=applications,
                    decision=Decision.PASS,
                    application__inspections__result__isnull=False,
                ),
                LocalDate("created_at"),
                LocalDate("application__inspections__result__finalised_at"),
            ),
        ),
        (
            _("Scored → named"),
            _day_pairs(
                Designation.objects.visible_to(user).filter(
                    application__in=applications, application__inspections__result__isnull=False
                ),
                LocalDate("application__inspections__result__finalised_at"),
                F("named_on"),
            ),
        ),
    ]
    ordinal = _workday_ordinal([day for _label, pairs in stages for pair in pairs for day in pair])
    rows = []
    for label, pairs in stages:
        spans = Counter()
        for (start, end), n in pairs.items():
            spans[max(ordinal[end] - ordinal[start], 0)] += n
        total = sum(spans.values())
        rows.append((label, [total, _percentile(spans, total, 0.5), _percentile(spans, total, 0.9)]))
    return Table(
        "stage-times",
        _("Time spent in each stage (working days)"),
        _("Stage"),
        [pgettext("number of applications", "Applications"), _("Median"), _("90th percentile")],
        rows,
        kind="bar",
        charted=[1, 2],
    )


def _workday_ordinal(days: list[datetime.date]) -> dict[datetime.date, int]:
    """For every day from the earliest to the latest of `days`, the working days after the
    earliest up to it, so that ordinal[end] - ordinal[start] is
    workdays.calendar.working_days_between(start, end)."""
    if not days:
        return {}
    first, last = min(days), max(days)
    ordinal = {first: 0}
    count = 0
    day = first
    while day < last:
        day += datetime.timedelta(days=1)
        count += is_workday(day)
        ordinal[day] = count
    return ordinal


def _percentile(spans: Counter, total: int, share: float):
    """The nearest-rank percentile of a distribution given as {value: how many}; None
    when there is nothing to measure."""
    if not total:
        return None
    rank = max(math.ceil(share * total), 1)
    seen = 0
    for value in sorted(spans):
        seen += spans[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover (rank <= total)


def _indicators(applications) -> Table:
    """Each indicator's mean score over the submitted scoresheets of the finalised
    inspections of the filtered applications, weakest (lowest share of its maximum) first."""
    rows = (
        SheetScore.objects.filter(
            sheet__inspection__application__in=applications,
            sheet__inspection__status=InspectionStatus.FINALISED,
            score__isnull=False,
        )
        .values(
            "indicator_id", "indicator__category__code", "indicator__order", "indicator__text", "indicator__max_score"
        )
        .annotate(
            score_sum=Sum("score"),
            scores=Count("score"),
            applications=Count("sheet__inspection__application", distinct=True),
        )
        .order_by()
    )
    for row in rows:
        row["average"] = _average(row["score_sum"], row["scores"])
    ranked = sorted(
        rows, key=lambda row: (row["average"] / Fraction(row["indicator__max_score"] or 1), row["indicator_id"])
    )
    table_rows = [
        (
            f"（{row['indicator__category__code']}）{row['indicator__order']} {_shorten(row['indicator__text'])}",
            [_shown(row["average"]), float(row["indicator__max_score"]), row["applications"]],
        )
        for row in ranked
    ]
    return Table(
        "indicators",
        _("Average score of each indicator, weakest first"),
        _("Indicator"),
        [_("Average score"), _("Maximum"), _("Scored applications")],
        table_rows,
        kind="bar",
        charted=[0],
    )


def _shorten(text: str, length: int = 24) -> str:
    return text if len(text) <= length else f"{text[: length - 1]}…"


def _area_scores(user, filters: Filters, areas: list[Organisation]) -> Table:
    """Each area's average total score against the province's (all areas, same campaign,
    sector and period), over the finalised results, in one query."""
    province = Application.objects.visible_to(user).filter(_application_q(filters, with_area=False))
    prefix = "inspection__application__unit__"
    figures = Result.objects.filter(inspection__application__in=province).aggregate(
        sumprovince=Sum("total"),
        nprovince=Count("pk"),
        **{f"sum{area.pk}": Sum("total", filter=subtree_q(area.path, prefix=prefix)) for area in areas},
        **{f"n{area.pk}": Count("pk", filter=subtree_q(area.path, prefix=prefix)) for area in areas},
    )

    def average(key: str):
        return _shown(_average(figures[f"sum{key}"], figures[f"n{key}"]))

    rows = [(area.name, [average(area.pk), figures[f"n{area.pk}"]]) for area in areas]
    rows.append((_("Whole province"), [average("province"), figures["nprovince"]]))
    return Table(
        "area-scores",
        _("Average total score by city or system against the province"),
        _("City or system"),
        [_("Average total score"), _("Scored applications")],
        rows,
        kind="bar",
        charted=[0],
    )


def _average(total, count) -> Fraction | None:
    """An exact mean from a database sum (a Decimal: scores and totals have few places)."""
    return None if not count or total is None else Fraction(total) / count


def _shown(value: Fraction | None) -> float | None:
    # Rounded half-up by the platform's one rule; a float for the charts (exact at 2 places).
    return None if value is None else float(rounded_score(value))
