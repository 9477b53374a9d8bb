"""Waiting times in Chinese working days: weekends, public holidays and the adjusted
working days (调休: a Saturday or Sunday worked in exchange for a longer holiday).

The calendar comes from the maintained package `chinesecalendar` (import name
`chinese_calendar`), which follows the State Council's yearly schedule. A year it does not
know yet (the schedule is published each November for the year after) falls back to
Monday–Friday with one logged warning per year, and the system check below warns before
that happens: upgrade the package when it does.
"""

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from django.core import checks
from django.utils import timezone

logger = logging.getLogger(__name__)

# The years already reported as falling back, so that a page counting hundreds of
# deadlines logs one line per year and not one per day.
_warned_years: set[int] = set()


def covered_years() -> range:
    """The years the installed package has a holiday schedule for."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


# The package validates its input on every call (about 50 µs): an inbox page asks for
# the same few hundred days again and again, and a day's answer never changes in a process.
@lru_cache(maxsize=8192)
def is_workday(day: date) -> bool:
    """Whether `day` is a working day in mainland China: Monday–Friday except public
    holidays, plus the weekend days declared working days. For a year the package does
    not cover, Monday–Friday, and a warning is logged once for that year."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinesecalendar has no holiday schedule for %s: counting Monday to Friday as working days. "
                "Upgrade the chinesecalendar package.",
                day.year,
            )
        return day.weekday() < 5


# A list of applications asks for the same few spans again and again (an inbox page:
# twenty-five submissions of a handful of days, each up to today).
@lru_cache(maxsize=8192)
def working_days_between(start: date, end: date) -> int:
    """The working days after `start` up to and including `end`: 1 from a Friday to the
    next Monday, 0 when `end` is on or before `start`. One call per day of the span (a
    set lookup each), cheap for the waiting times of a workflow."""
    if end <= start:
        return 0
    return sum(1 for offset in range(1, (end - start).days + 1) if is_workday(start + timedelta(days=offset)))


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (so that working_days_between(start, result)
    == n and the result is a working day); `start` itself when n is 0, and counting
    backwards when n is negative."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


@checks.register()
def check_workday_calendar_is_current(app_configs, today: date | None = None, **kwargs):
    """Warn when the installed package does not know the current year, or, in December
    (the State Council publishes the next year's schedule in November or December and the
    package follows), the next one: waiting times around the turn of the year need it."""
    today = today or timezone.localdate()
    years = covered_years()
    wanted = (today.year, today.year + 1) if today.month == 12 else (today.year,)
    missing = [year for year in wanted if year not in years]
    if not missing:
        return []
    return [
        checks.Warning(
            f"The installed chinesecalendar package has no holiday schedule for {', '.join(map(str, missing))} "
            f"(it covers {years.start}–{years.stop - 1}): working days in those years are counted as Monday to "
            "Friday, without public holidays or adjusted working days.",
            hint="Upgrade chinesecalendar (requirements.in, then the lock file) once a release includes them.",
            id="core.W001",
        )
    ]
