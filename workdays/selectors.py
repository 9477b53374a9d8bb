"""What the pages read of the working-day calendar."""

from dataclasses import dataclass
from datetime import date

import chinese_calendar
from django.utils import timezone

from workdays import calendar
from workdays.calendar import Basis
from workdays.models import DayKind, HolidayDay, HolidayYear

# From this month on, next year's arrangement is due (the State Council publishes it in
# the autumn) and its absence is shown to those who can enter it.
REMINDER_MONTH = 11


def years_to_enter(today: date | None = None) -> list[int]:
    """The years whose holiday arrangement neither source has and that somebody should
    enter now: this year, and from 1 November the next one."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1] if today.month >= REMINDER_MONTH else [today.year]
    return [year for year in wanted if calendar.basis(year) == Basis.WEEKDAYS]


@dataclass(frozen=True)
class YearRow:
    year: int
    basis: Basis
    arrangement: HolidayYear | None
    holidays: int
    workdays: int


def year_rows(today: date | None = None) -> list[YearRow]:
    """One row per year worth showing on the calendar page: last year to next year and
    every year the province keeps an arrangement for, newest first."""
    today = today or timezone.localdate()
    arrangements = {
        arrangement.year: arrangement
        for arrangement in HolidayYear.objects.select_related("updated_by").order_by("-year")
    }
    counts = {}
    for year, kind in HolidayDay.objects.values_list("arrangement__year", "kind"):
        counts.setdefault(year, {DayKind.HOLIDAY: 0, DayKind.WORKDAY: 0})[kind] += 1
    years = sorted(set(range(today.year - 1, today.year + 2)) | set(arrangements), reverse=True)
    rows = []
    for year in years:
        arrangement = arrangements.get(year)
        if arrangement is None and year in calendar.package_years():
            holidays, workdays = package_days(year)
            counted = {DayKind.HOLIDAY: len(holidays), DayKind.WORKDAY: len(workdays)}
        else:
            counted = counts.get(year, {DayKind.HOLIDAY: 0, DayKind.WORKDAY: 0})
        rows.append(
            YearRow(
                year=year,
                basis=calendar.basis(year),
                arrangement=arrangement,
                holidays=counted[DayKind.HOLIDAY],
                workdays=counted[DayKind.WORKDAY],
            )
        )
    return rows


def package_days(year: int) -> tuple[list[tuple[date, str]], list[tuple[date, str]]]:
    """The installed package's holiday days and its adjusted working days of `year`, each
    with the holiday's Chinese name; empty lists for a year it lacks."""

    def of_year(days: dict) -> list[tuple[date, str]]:
        return sorted((day, _chinese_name(name)) for day, name in days.items() if day.year == year)

    return of_year(chinese_calendar.holidays), of_year(chinese_calendar.workdays)


def _chinese_name(name: str | None) -> str:
    """The package names its holidays in English ("Spring Festival"); the office reads
    them in Chinese (its own `chn` attribute)."""
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese
    return name or ""
