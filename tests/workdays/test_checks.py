"""A missing holiday arrangement is information for whoever can enter it, never a reason
for the platform not to start: the system check at the turn of the year, with the clock
set to 1 December, 31 December and 1 January."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command

from workdays import calendar
from workdays.checks import check_holiday_arrangements
from workdays.services import save_year

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# The last year the installed package covers: the year after it is the one to enter.
LAST = calendar.package_years()[-1]
TURN_OF_THE_YEAR = [datetime.date(LAST, 12, 1), datetime.date(LAST, 12, 31), datetime.date(LAST + 1, 1, 1)]


def _at(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(9), tzinfo=BEIJING), tick=False)


@pytest.mark.parametrize("today", TURN_OF_THE_YEAR)
def test_missing_arrangement_is_information_at_the_turn_of_the_year(db, time_machine, today):
    _at(time_machine, today)
    messages = check_holiday_arrangements(None)
    assert [(message.id, message.level) for message in messages] == [("workdays.I001", checks.INFO)]
    assert f"for {LAST + 1}:" in messages[0].msg


@pytest.mark.parametrize("today", TURN_OF_THE_YEAR)
def test_the_checks_make_prod_runs_pass_at_the_turn_of_the_year(db, time_machine, today):
    # make prod runs `check --deploy --database default --fail-level WARNING`; --deploy's
    # own checks concern production settings, not the date (tests/core/test_production_settings.py).
    _at(time_machine, today)
    out = StringIO()
    call_command("check", "--database", "default", "--fail-level", "WARNING", stdout=out, stderr=out)
    assert "workdays.I001" in out.getvalue()


@pytest.mark.parametrize("today", TURN_OF_THE_YEAR)
def test_nothing_to_say_once_the_province_entered_the_year(db, world, time_machine, today):
    _at(time_machine, today)
    save_year(actor=world.province_admin, year=LAST + 1, doc_number="国办发明电〔2026〕1号", days=[])
    assert check_holiday_arrangements(None) == []


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        (datetime.date(LAST, 10, 31), []),
        (datetime.date(LAST, 11, 1), [LAST + 1]),
        (datetime.date(LAST + 1, 6, 1), [LAST + 1]),
        (datetime.date(LAST - 1, 12, 31), []),
    ],
)
def test_next_year_is_asked_for_from_1_november(db, time_machine, today, missing):
    _at(time_machine, today)
    said = [message.msg.split(":")[0] for message in check_holiday_arrangements(None)]
    assert said == [f"No holiday arrangement for {year}" for year in missing]
