"""The tables of the 汇总表: for each, its columns and the rows of one owner's scope.

A table reads the database in one query per chunk of rows (joins and counts in SQL,
`.values_list(...).iterator()`), never one query per row, so that 100,000 rows stream
through the workbook writer with bounded memory. Every table starts from the scope
queryset of its model (`visible_to(owner)`); the filters only narrow it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from applications.models import Application
from applications.models import State as ApplicationState
from audit.models import AuditRecord
from core.workbook import DATE, NUMBER, PERCENT, PHONE, Column, Sheet
from designations.models import Designation, DesignationStatus
from inspections.models import InspectionStatus, Result
from inspections.results import reason_text
from organisations.models import Kind, Organisation, Sector, Status
from organisations.scoping import subtree_q
from plans.models import Plan
from reports.models import ProgressReport
from reports.selectors import statistic_rows
from workdays.calendar import current as workday_calendar

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Filters:
    """The validated filters of one export (exports.forms.ExportForm.filters)."""

    campaign: object = None
    area: Organisation | None = None
    sector: str = ""
    state: str = ""  # an application state (applications, scores)
    site_status: str = ""  # a designation status (named sites)


@dataclass(frozen=True)
class Table:
    key: str
    label: object
    sheets: Callable = field(repr=False)  # (owner, filters, today) -> list[Sheet]
    uses_campaign: bool = True
    uses_state: bool = False
    uses_site_status: bool = False
    uses_sector: bool = True


class AreaNames:
    """The city/system and county of a unit, read off its path without a query per row:
    the names of the associations in the owner's scope (and of its own ancestors, which
    its units sit below) are loaded once."""

    def __init__(self, owner):
        scope = Organisation.objects.visible_to(owner).exclude(kind=Kind.UNIT)
        ancestors = owner.organisation.ancestor_ids() if owner.organisation_id else []
        rows = (scope | Organisation.objects.filter(pk__in=ancestors)).order_by().values_list("pk", "name", "kind")
        self._orgs = {pk: (name, kind) for pk, name, kind in rows}

    def _ids(self, path: str) -> list[int]:
        return [int(part) for part in path.split("/") if part]

    def area(self, path: str) -> str:
        """The city, system or department: the first level below the province."""
        ids = self._ids(path)
        if len(ids) < 3:
            return ""
        return self._orgs.get(ids[1], ("", ""))[0]

    def county(self, path: str) -> str:
        for pk in self._ids(path)[1:-1]:
            name, kind = self._orgs.get(pk, ("", ""))
            if kind == Kind.COUNTY:
                return name
        return ""


def local_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _scoped_units(queryset, filters: Filters, prefix: str = "unit__"):
    if filters.area is not None:
        queryset = queryset.filter(subtree_q(filters.area.path, prefix=prefix))
    if filters.sector:
        queryset = queryset.filter(**{f"{prefix}sector": filters.sector})
    return queryset


def _chunks(queryset, fields):
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)


# -- 1. units -----------------------------------------------------------------------------


def unit_sheets(owner, filters: Filters, today: date) -> list[Sheet]:
    queryset = _scoped_units(Organisation.objects.visible_to(owner).units(), filters, prefix="").order_by("path")
    names = AreaNames(owner)
    sectors, statuses = _labels(Sector.choices), _labels(Status.choices)
    columns = [
        Column(gettext_lazy("name")),
        Column(gettext_lazy("City or system")),
        Column(gettext_lazy("County or district")),
        Column(gettext_lazy("sector")),
        Column(gettext_lazy("address")),
        Column(gettext_lazy("contact person")),
        Column(gettext_lazy("contact phone"), PHONE),
        Column(gettext_lazy("status")),
        Column(gettext_lazy("created"), DATE),
    ]
    fields = ("name", "path", "sector", "address", "contact_name", "contact_phone", "status", "created_at")

    def rows():
        for name, path, sector, address, contact, phone, status, created in _chunks(queryset, fields):
            yield (
                name,
                names.area(path),
                names.county(path),
                sectors.get(sector, sector),
                address,
                contact,
                phone,
                statuses.get(status, status),
                local_date(created),
            )

    return [Sheet(str(_("Units")), columns, queryset.count(), rows())]


# -- 2. creation plans ----------------------------------------------------------------------


def plan_sheets(owner, filters: Filters, today: date) -> list[Sheet]:
    queryset = Plan.objects.visible_to(owner)
    if filters.campaign is not None:
        queryset = queryset.filter(campaign=filters.campaign)
    queryset = _scoped_units(queryset, filters).order_by("unit__path", "pk")
    counted = queryset.with_step_counts().with_overdue_count(today)
    names = AreaNames(owner)
    sectors = _labels(Sector.choices)
    columns = [
        Column(gettext_lazy("unit")),
        Column(gettext_lazy("City or system")),
        Column(gettext_lazy("County or district")),
        Column(gettext_lazy("sector")),
        Column(gettext_lazy("campaign")),
        Column(gettext_lazy("Progress")),
        Column(gettext_lazy("Steps"), NUMBER),
        Column(gettext_lazy("Steps done"), NUMBER),
        Column(gettext_lazy("Overdue steps"), NUMBER),
        Column(gettext_lazy("Share of steps done"), PERCENT),
        Column(gettext_lazy("created"), DATE),
        Column(gettext_lazy("last updated"), DATE),
    ]
    fields = (
        "unit__name",
        "unit__path",
        "unit__sector",
        "campaign__name",
        "step_count",
        "done_count",
        "overdue_count",
        "created_at",
        "updated_at",
    )

    def progress(steps: int, done: int, overdue: int) -> str:
        if not steps:
            return _("No steps yet")
        if done == steps:
            return _("All steps done")
        if overdue:
            return _("Behind schedule")
        return _("On schedule")

    def rows():
        for unit, path, sector, campaign, steps, done, overdue, created, updated in _chunks(counted, fields):
            yield (
                unit,
                names.area(path),
                names.county(path),
                sectors.get(sector, sector),
                campaign,
                progress(steps, done, overdue),
                steps,
                done,
                overdue,
                done / steps if steps else None,
                local_date(created),
                local_date(updated),
            )

    return [Sheet(str(_("Creation plans")), columns, queryset.count(), rows())]


# -- 3. applications ------------------------------------------------------------------------


def scoped_applications(owner, filters: Filters):
    """The applications of an export: the owner's scope, narrowed by the filters."""
    queryset = Application.objects.visible_to(owner)
    if filters.campaign is not None:
        queryset = queryset.filter(campaign=filters.campaign)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    return _scoped_units(queryset, filters)


def _entered_state():
    """When the application entered its current state: the newest audit record of a
    transition into that state (the workflow writes one per transition), else the
    newest of its decision, registration and submission times."""
    last_transition = (
        AuditRecord.objects.filter(
            object_type="applications.application",
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            to_state=OuterRef("state"),
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return Coalesce(Subquery(last_transition), F("decided_at"), F("registered_at"), F("submitted_at"))


def application_sheets(owner, filters: Filters, today: date) -> list[Sheet]:
    queryset = scoped_applications(owner, filters).order_by("unit__path", "pk")
    names = AreaNames(owner)
    calendar = workday_calendar()
    sectors, states = _labels(Sector.choices), _labels(ApplicationState.choices)
    columns = [
        Column(gettext_lazy("registration number")),
        Column(gettext_lazy("unit")),
        Column(gettext_lazy("City or system")),
        Column(gettext_lazy("County or district")),
        Column(gettext_lazy("sector")),
        Column(gettext_lazy("campaign")),
        Column(gettext_lazy("state")),
        Column(gettext_lazy("In this state since"), DATE),
        Column(gettext_lazy("Working days in this state"), NUMBER),
        Column(gettext_lazy("submitted"), DATE),
        Column(gettext_lazy("registered"), DATE),
    ]
    fields = (
        "registration_code",
        "unit__name",
        "unit__path",
        "unit__sector",
        "campaign__name",
        "state",
        "entered_at",
        "submitted_at",
        "registered_at",
    )

    def rows():
        annotated = queryset.annotate(entered_at=_entered_state())
        for code, unit, path, sector, campaign, state, entered, submitted, registered in _chunks(annotated, fields):
            entered_on = local_date(entered)
            yield (
                code,
                unit,
                names.area(path),
                names.county(path),
                sectors.get(sector, sector),
                campaign,
                states.get(state, state),
                entered_on,
                calendar.working_days_between(entered_on, today) if entered_on else None,
                local_date(submitted),
                local_date(registered),
            )

    return [Sheet(pgettext("export table", "Applications"), columns, queryset.count(), rows())]


# -- 4. scores per indicator ----------------------------------------------------------------


def _indicator_header(code: str, order: int, text: str) -> str:
    # The notice's indicator texts are long sentences: the header shows their start.
    short = text if len(text) <= 12 else f"{text[:12]}…"
    return f"（{code}）{order} {short}"


def score_sheets(owner, filters: Filters, today: date) -> list[Sheet]:
    """One worksheet per standard version scored on: each version has its own indicators."""
    from campaigns.models import Indicator, StandardVersion

    results = Result.objects.filter(
        inspection__status=InspectionStatus.FINALISED,
        inspection__application__in=scoped_applications(owner, filters),
    ).order_by("inspection__application__unit__path", "pk")
    version_ids = list(results.order_by().values_list("version_id", flat=True).distinct())
    versions = (
        StandardVersion.objects.filter(pk__in=version_ids).select_related("campaign").order_by("campaign", "number")
    )
    indicators_by_version: dict[int, list] = {}
    for indicator in (
        Indicator.objects.filter(category__version__in=version_ids)
        .select_related("category")
        .order_by("category__order", "order")
    ):
        indicators_by_version.setdefault(indicator.category.version_id, []).append(indicator)
    names = AreaNames(owner)
    sectors, states = _labels(Sector.choices), _labels(ApplicationState.choices)
    fields = (
        "inspection__application__registration_code",
        "inspection__application__unit__name",
        "inspection__application__unit__path",
        "inspection__application__unit__sector",
        "inspection__application__state",
        "data",
        "total",
        "meets_standard",
        "finalised_at",
    )
    sheets = []
    for version in versions:
        indicators = indicators_by_version.get(version.pk, [])
        ids = [indicator.pk for indicator in indicators]
        columns = [
            Column(gettext_lazy("registration number")),
            Column(gettext_lazy("unit")),
            Column(gettext_lazy("City or system")),
            Column(gettext_lazy("sector")),
            Column(gettext_lazy("state")),
            *[Column(_indicator_header(i.category.code, i.order, i.text), NUMBER) for i in indicators],
            Column(gettext_lazy("total score"), NUMBER),
            Column(gettext_lazy("Recommendation")),
            Column(gettext_lazy("Reasons")),
            Column(gettext_lazy("Scored on"), DATE),
        ]
        of_version = results.filter(version=version)

        def rows(of_version=of_version, ids=ids):
            for code, unit, path, sector, state, data, total, meets, finalised in _chunks(of_version, fields):
                values = {row["id"]: row["value"] for row in data.get("indicators", [])}
                yield (
                    code,
                    unit,
                    names.area(path),
                    sectors.get(sector, sector),
                    states.get(state, state),
                    *[float(values[pk]) if pk in values else None for pk in ids],
                    float(total),
                    _("Recommended for naming") if meets else _("Not recommended for naming"),
                    "；".join(reason_text(reason) for reason in data.get("reasons", [])),
                    local_date(finalised),
                )

        title = f"{version.campaign.name[:20]} {version}"
        sheets.append(Sheet(title, columns, of_version.count(), rows()))
    if not sheets:
        columns = [Column(gettext_lazy("registration number")), Column(gettext_lazy("unit"))]
        sheets.append(Sheet(str(_("Scores")), columns, 0, iter(())))
    return sheets


# -- 5. named sites -------------------------------------------------------------------------


def site_sheets(owner, filters: Filters, today: date) -> list[Sheet]:
    queryset = Designation.objects.visible_to(owner)
    if filters.campaign is not None:
        queryset = queryset.filter(campaign=filters.campaign)
    if filters.site_status:
        queryset = queryset.filter(status=filters.site_status)
    queryset = _scoped_units(queryset, filters).order_by("-named_on", "serial", "pk")
    names = AreaNames(owner)
    sectors, statuses = _labels(Sector.choices), _labels(DesignationStatus.choices)
    columns = [
        Column(gettext_lazy("certificate number")),
        Column(gettext_lazy("title conferred")),
        Column(gettext_lazy("named on"), DATE),
        Column(gettext_lazy("unit")),
        Column(gettext_lazy("City or system")),
        Column(gettext_lazy("sector")),
        Column(gettext_lazy("status")),
        Column(gettext_lazy("revoked on"), DATE),
    ]
    fields = (
        "certificate_number",
        "campaign__named_title",
        "named_on",
        "unit__name",
        "unit__path",
        "unit__sector",
        "status",
        "revoked_on",
    )

    def rows():
        for number, title, named_on, unit, path, sector, status, revoked_on in _chunks(queryset, fields):
            yield (
                number,
                title,
                named_on,
                unit,
                names.area(path),
                sectors.get(sector, sector),
                statuses.get(status, status),
                revoked_on,
            )

    return [Sheet(str(_("Named sites")), columns, queryset.count(), rows())]


# -- 6. progress reports --------------------------------------------------------------------


def progress_report_sheets(owner, filters: Filters, today: date) -> list[Sheet]:
    """Submitted progress reports (drafts are their association's own), one row each with
    the statistics frozen at submission and the texts."""
    queryset = ProgressReport.objects.visible_to(owner).submitted()
    if filters.campaign is not None:
        queryset = queryset.filter(campaign=filters.campaign)
    if filters.area is not None:
        queryset = queryset.filter(subtree_q(filters.area.path, prefix="association__"))
    queryset = queryset.order_by("-period_start", "association__path", "pk")
    figures = statistic_rows({})
    columns = [
        Column(gettext_lazy("association")),
        Column(gettext_lazy("period start"), DATE),
        Column(gettext_lazy("period end"), DATE),
        Column(gettext_lazy("submitted"), DATE),
        Column(gettext_lazy("statistics as of"), DATE),
        *(Column(label, NUMBER) for _key, label, _value in figures),
        Column(gettext_lazy("progress of the work")),
        Column(gettext_lazy("typical practices")),
        Column(gettext_lazy("problems and next steps")),
    ]
    fields = (
        "association__name",
        "period_start",
        "period_end",
        "submitted_at",
        "statistics_as_of",
        "statistics",
        "narrative",
        "practices",
        "problems",
    )

    def rows():
        for name, start, end, submitted, as_of, statistics, narrative, practices, problems in _chunks(queryset, fields):
            values = [value for _key, _label, value in statistic_rows(statistics or {})]
            yield (name, start, end, local_date(submitted), as_of, *values, narrative, practices, problems)

    return [Sheet(str(_("Progress reports")), columns, queryset.count(), rows())]


TABLES = {
    table.key: table
    for table in [
        Table("units", gettext_lazy("Units"), unit_sheets, uses_campaign=False),
        Table("plans", gettext_lazy("Creation plans"), plan_sheets),
        Table("applications", pgettext_lazy("export table", "Applications"), application_sheets, uses_state=True),
        Table("scores", pgettext_lazy("export table", "Scores per indicator"), score_sheets, uses_state=True),
        Table("sites", gettext_lazy("Named sites"), site_sheets, uses_site_status=True),
        Table("reports", gettext_lazy("Progress reports"), progress_report_sheets, uses_sector=False),
    ]
}
