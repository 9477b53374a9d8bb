"""Chinese working days: Monday to Friday, less the public holidays, plus the adjusted
working days (调休: a Saturday or Sunday worked in exchange for a longer holiday). Every
working-day figure of the platform (waiting times, review limits, overdue flags, the
dashboard's stage times, exports, notice periods) is counted here and nowhere else.

Two sources, read together, day by day:
1. the province's own entries (workdays.models: a year's arrangement as the State
   Council published it, entered or uploaded by an administrator), which count for a
   year the package below does not know yet, or for any year whose arrangement is marked
   as a correction of the package;
2. the maintained package `chinesecalendar` (import name `chinese_calendar`), for the
   years it covers.
A year neither source knows counts Monday to Friday (`Basis.WEEKDAYS`), and every page
that shows a figure for such a year says so (`weekday_only_years`).

The province's entries are read once per process into a `Calendar` and read again when
the cache's stamp changes (the services write a new stamp when they save, at once and
again on commit), checked at most every RECHECK_SECONDS: an edit reaches every
application server within that time, without a query per working-day figure.
"""

import math
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.core.cache import cache as shared_cache
from django.db import models
from django.utils.translation import gettext_lazy as _

RECHECK_SECONDS = 10
STAMP_KEY = "workdays:stamp"
# A span's count is kept per process for the pages that ask for the same spans again
# and again (an inbox page: twenty-five submissions of a handful of days, each to today).
_MEMO_LIMIT = 8192


class Basis(models.TextChoices):
    PACKAGE = "package", _("Installed calendar (chinesecalendar)")
    PROVINCE = "province", _("Entered by the province")
    CORRECTED = "corrected", _("Installed calendar, corrected by the province")
    WEEKDAYS = "weekdays", _("No holiday data: Monday to Friday")


@cache
def package_years() -> range:
    """The years the installed package has a holiday schedule for (fixed in a process)."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


@dataclass
class Calendar:
    """One reading of both sources. `overrides` are the province's days that count (True:
    a working day), `province_years` the years it keeps an arrangement for (True: marked
    as a correction of the package)."""

    overrides: dict[date, bool] = field(default_factory=dict)
    province_years: dict[int, bool] = field(default_factory=dict)
    stamp: str | None = None
    checked_at: float = 0.0
    _days: dict = field(default_factory=dict, repr=False)
    # Running counts of working days from an origin that moves to the earliest day asked
    # about: _running[i] is the count in (origin, origin + i days], so that every span is
    # one subtraction (an export of 20,000 rows asks for as many spans).
    _origin: date | None = field(default=None, repr=False)
    _running: list = field(default_factory=list, repr=False)

    def basis(self, year: int) -> Basis:
        """Where the working days of `year` come from."""
        if year in package_years():
            return Basis.CORRECTED if self.province_years.get(year) else Basis.PACKAGE
        return Basis.PROVINCE if year in self.province_years else Basis.WEEKDAYS

    def is_workday(self, day: date) -> bool:
        known = self._days.get(day)
        if known is None:
            if len(self._days) >= _MEMO_LIMIT:
                self._days.clear()
            known = self._days[day] = self._workday(day)
        return known

    def _workday(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override
        if day.year in package_years():
            # The package validates its input on every call (about 50 µs): hence the memo above.
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def working_days_between(self, start: date, end: date) -> int:
        if end <= start:
            return 0
        self._cover(start)
        self._cover(end)
        return self._running[(end - self._origin).days] - self._running[(start - self._origin).days]

    def _cover(self, day: date) -> None:
        """Extend the running counts to reach `day` (backwards or forwards)."""
        if self._origin is None:
            self._origin, self._running = day, [0]
        elif day < self._origin:
            head, total = [], 0
            for offset in range(1, (self._origin - day).days + 1):
                total += self.is_workday(day + timedelta(days=offset))
                head.append(total)
            # Counts are relative to the new origin: the old ones move up by what lies between.
            self._running = [0, *head[:-1], *[total + value for value in self._running]]
            self._origin = day
        last = self._origin + timedelta(days=len(self._running) - 1)
        if day > last:
            total = self._running[-1]
            for offset in range(1, (day - last).days + 1):
                total += self.is_workday(last + timedelta(days=offset))
                self._running.append(total)


_current: Calendar | None = None


def _read(stamp: str | None, now: float) -> Calendar:
    from workdays.models import HolidayDay, HolidayYear

    years = dict(HolidayYear.objects.values_list("year", "corrects_package"))
    counted = [year for year, corrects in years.items() if corrects or year not in package_years()]
    overrides = {
        day: kind == "workday"
        for day, kind in HolidayDay.objects.filter(arrangement__year__in=counted).values_list("day", "kind")
    }
    return Calendar(overrides=overrides, province_years=years, stamp=stamp, checked_at=now)


def current() -> Calendar:
    """The calendar as both sources have it now (see the module's docstring)."""
    global _current
    calendar, now = _current, time.monotonic()
    if calendar is not None and now - calendar.checked_at < RECHECK_SECONDS:
        return calendar
    stamp = shared_cache.get(STAMP_KEY)
    if calendar is not None and stamp is not None and stamp == calendar.stamp:
        calendar.checked_at = now
        return calendar
    if stamp is None:
        # A new or emptied cache: whoever reads first names the stamp everybody adopts.
        shared_cache.add(STAMP_KEY, uuid.uuid4().hex, timeout=None)
        stamp = shared_cache.get(STAMP_KEY)
    _current = _read(stamp, now)
    return _current


def forget() -> None:
    """Make every process read the province's entries again: this one at its next figure,
    the others at their next check. The services call it when they write, and again
    after the commit (a process that read in between read the old entries under the
    first new stamp)."""
    global _current
    _current = None
    shared_cache.set(STAMP_KEY, uuid.uuid4().hex, timeout=None)


def hold(calendar: Calendar | None = None) -> None:
    """For tests: use `calendar` (default: no province entries) without looking at the
    database or the cache until forget() is called."""
    global _current
    _current = calendar or Calendar()
    _current.checked_at = math.inf


def basis(year: int) -> Basis:
    return current().basis(year)


def is_workday(day: date) -> bool:
    """Whether `day` is a working day in mainland China, by the province's entries where
    they count, else the package, else Monday to Friday."""
    return current().is_workday(day)


def working_days_between(start: date, end: date) -> int:
    """The working days after `start` up to and including `end`: 1 from a Friday to the
    next Monday, 0 when `end` is on or before `start`."""
    return current().working_days_between(start, end)


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (so that working_days_between(start, result)
    == n and the result is a working day); `start` itself when n is 0, and counting
    backwards when n is negative."""
    calendar = current()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if calendar.is_workday(day):
            remaining -= 1
    return day


def weekday_only_years(start: date | int, end: date | int) -> list[int]:
    """The years from `start` to `end` (dates or years) that neither source knows, whose
    working days are counted Monday to Friday: what a page showing figures over that
    span must say."""
    calendar = current()
    first = start if isinstance(start, int) else start.year
    last = end if isinstance(end, int) else end.year
    return [year for year in range(first, last + 1) if calendar.basis(year) == Basis.WEEKDAYS]
