"""Every write of the working-day calendar: a year's arrangement saved (from the form or
an uploaded workbook) or removed. Each is atomic, audited with what changed, and makes
every process read the calendar again (workdays.calendar.forget)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from core.concurrency import check_values, fingerprint
from workdays import calendar, permissions
from workdays.models import FIRST_YEAR, LAST_YEAR, DayKind, HolidayDay, HolidayYear

YEAR_FIELDS = ("doc_number", "corrects_package", "note")
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class Day:
    """One entry of an arrangement as a form or a workbook gives it."""

    day: date
    kind: str
    name: str


def _require_keeper(actor) -> None:
    if actor is not None and not permissions.can_keep_calendar(actor):
        raise PermissionDenied


def first_allowed_day(year: int) -> date:
    # A year's notice may start its New Year holiday (and the weekend worked before it) in
    # the last days of December before (2019's began on 30 December 2018).
    return date(year - 1, 12, 1)


def check_days(year: int, days: Sequence[Day]) -> None:
    """Refuse, with every problem named by its date, a list that a year's arrangement
    cannot hold: a date outside the year (December before it allowed), a date given
    twice, an adjusted working day on a Monday to Friday, a date already in another
    year's arrangement. Writes nothing."""
    errors = []
    seen = set()
    first, last = first_allowed_day(year), date(year, 12, 31)
    for entry in days:
        shown = f"{entry.day:%Y-%m-%d}"
        if not first <= entry.day <= last:
            errors.append(
                ValidationError(
                    _(
                        "%(day)s is not in %(year)s: an arrangement holds the days of its year (and of December before it)."
                    ),
                    code="outside_year",
                    params={"day": shown, "year": year},
                )
            )
        if entry.day in seen:
            errors.append(ValidationError(_("%(day)s is given twice."), code="duplicate_day", params={"day": shown}))
        seen.add(entry.day)
        if entry.kind == DayKind.WORKDAY and entry.day.weekday() < 5:
            errors.append(
                ValidationError(
                    _(
                        "%(day)s is a %(weekday)s, a working day anyway: an adjusted working day is a Saturday or "
                        "Sunday worked."
                    ),
                    code="workday_on_weekday",
                    params={"day": shown, "weekday": WEEKDAY_NAMES[entry.day.weekday()]},
                )
            )
    taken = (
        HolidayDay.objects.filter(day__in=seen).exclude(arrangement__year=year).values_list("day", "arrangement__year")
    )
    for day, other in taken.order_by("day"):
        errors.append(
            ValidationError(
                _("%(day)s is already in the arrangement of %(other)s."),
                code="day_taken",
                params={"day": f"{day:%Y-%m-%d}", "other": other},
            )
        )
    if errors:
        raise ValidationError(errors)


def _days_text(days) -> list[str]:
    return [f"{entry.day:%Y-%m-%d} {entry.kind} {entry.name}" for entry in sorted(days, key=lambda entry: entry.day)]


def _values(arrangement: HolidayYear | None) -> dict:
    if arrangement is None:
        return {**dict.fromkeys(YEAR_FIELDS, ""), "days": []}
    return {
        **{name: getattr(arrangement, name) for name in YEAR_FIELDS},
        "days": _days_text(arrangement.days.all()),
    }


def year_token(year: int) -> str:
    """The edit token of `year`'s arrangement as saved now (its forms carry it)."""
    return fingerprint(_values(HolidayYear.objects.filter(year=year).first()))


def _forget_everywhere() -> None:
    calendar.forget()
    transaction.on_commit(calendar.forget)


@transaction.atomic
def save_year(
    *,
    actor,
    year: int,
    doc_number: str,
    days: Sequence[Day],
    corrects_package: bool = False,
    note: str = "",
    source: str = "form",
    edit_token: str | None = None,
) -> HolidayYear:
    """Create or replace the province's arrangement of `year`: its document number, its
    correction mark, its note and the whole list of its days. Only a provincial or system
    administrator may (`actor` None: the platform itself). Raises ValidationError on a
    bad list (check_days) or field, EditConflict when the arrangement changed since its
    form showed `edit_token`. Audited with what changed (`source`: "form" or "upload")."""
    _require_keeper(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Give a year from %(first)s to %(last)s."), code="year", params={"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    check_days(year, days)
    arrangement = HolidayYear.objects.select_for_update().filter(year=year).first()
    fields = {"doc_number": doc_number.strip(), "corrects_package": corrects_package, "note": note.strip()}
    check_values(
        token=edit_token,
        current=_values(arrangement),
        new={**fields, "days": _days_text(days)},
        # A year removed meanwhile has no trail of its own to name who did it.
        history=arrangement if arrangement is not None else HolidayYear(year=year),
        label=lambda key: _("Days") if key == "days" else str(HolidayYear._meta.get_field(key).verbose_name),
    )
    created = arrangement is None
    before = _values(arrangement)
    if created:
        arrangement = HolidayYear(year=year)
    for name, value in fields.items():
        setattr(arrangement, name, value)
    arrangement.updated_by = actor if actor is not None and actor.is_authenticated else None
    arrangement.full_clean()
    arrangement.save()
    rows = [
        HolidayDay(arrangement=arrangement, day=entry.day, kind=entry.kind, name=entry.name.strip()) for entry in days
    ]
    for row in rows:
        row.full_clean(exclude=["arrangement", "day"])
    after_days = _days_text(rows)
    if after_days != before["days"]:
        arrangement.days.all().delete()
        HolidayDay.objects.bulk_create(rows)
    changed = {name: [before[name], value] for name, value in fields.items() if before[name] != value}
    removed = sorted(set(before["days"]) - set(after_days))
    added = sorted(set(after_days) - set(before["days"]))
    if created or changed or added or removed:
        record_event(
            actor=actor,
            action="workdays.year_create" if created else "workdays.year_update",
            obj=arrangement,
            details={"year": year, "source": source, "changed": changed, "added": added, "removed": removed},
        )
    _forget_everywhere()
    return arrangement


@transaction.atomic
def delete_year(*, actor, year: int) -> None:
    """Remove the province's arrangement of `year` (the package, or Monday to Friday,
    counts again). Only a provincial or system administrator may; audited with the days
    it held. Raises HolidayYear.DoesNotExist when there is none."""
    _require_keeper(actor)
    arrangement = HolidayYear.objects.select_for_update().get(year=year)
    removed = _days_text(arrangement.days.all())
    details = {"year": year, "doc_number": arrangement.doc_number, "removed": removed}
    record_event(actor=actor, action="workdays.year_delete", obj=arrangement, details=details)
    arrangement.delete()
    _forget_everywhere()
