"""Chinese working days on real dates: the State Council's holidays and adjusted working days."""

import logging
from datetime import date, timedelta

import pytest

from core import workdays
from core.workdays import add_working_days, check_workday_calendar_is_current, is_workday, working_days_between


@pytest.fixture(autouse=True)
def _nothing_warned_yet(monkeypatch):
    monkeypatch.setattr(workdays, "_warned_years", set())


def test_workday_national_day_2024_is_a_holiday_week():
    assert [is_workday(date(2024, 10, day)) for day in range(1, 8)] == [False] * 7
    assert is_workday(date(2024, 10, 8)) is True


def test_workday_adjusted_weekend_days_of_national_day_2024_are_working_days():
    assert date(2024, 9, 29).weekday() == 6  # a Sunday
    assert date(2024, 10, 12).weekday() == 5  # a Saturday
    assert is_workday(date(2024, 9, 29)) is True
    assert is_workday(date(2024, 10, 12)) is True
    assert is_workday(date(2024, 9, 28)) is False  # the Saturday before stays a rest day


def test_workday_spring_festival_2025():
    holiday = [date(2025, 1, 28) + timedelta(days=offset) for offset in range(8)]  # 28 January – 4 February
    assert [is_workday(day) for day in holiday] == [False] * 8
    assert is_workday(date(2025, 1, 26)) is True  # Sunday worked before the holiday
    assert is_workday(date(2025, 2, 8)) is True  # Saturday worked after it
    assert is_workday(date(2025, 2, 5)) is True


def test_workday_ordinary_week():
    assert [is_workday(date(2024, 11, day)) for day in range(4, 11)] == [True] * 5 + [False] * 2


def test_working_days_between_across_national_day_2024():
    # Friday 27 September to Monday 14 October: 29 and 30 September, then 8–12 and 14 October.
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 14)) == 8
    assert working_days_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert working_days_between(date(2024, 10, 1), date(2024, 10, 7)) == 0


def test_working_days_between_across_spring_festival_2025():
    # Friday 24 January to Monday 10 February: 26 and 27 January, 5–8 and 10 February.
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 10)) == 7


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(date(2024, 11, 4), date(2024, 11, 5)) == 1
    assert working_days_between(date(2024, 11, 8), date(2024, 11, 11)) == 1  # Friday to Monday


@pytest.mark.parametrize(
    ("start", "end"), [(date(2024, 11, 5), date(2024, 11, 5)), (date(2024, 11, 6), date(2024, 11, 5))]
)
def test_working_days_between_is_zero_when_end_is_not_after_start(start, end):
    assert working_days_between(start, end) == 0


def test_add_working_days_skips_holidays_and_counts_adjusted_days():
    assert add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)  # the adjusted Sunday
    assert add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)
    assert add_working_days(date(2024, 9, 27), 8) == date(2024, 10, 14)
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_add_working_days_zero_and_backwards():
    assert add_working_days(date(2024, 10, 3), 0) == date(2024, 10, 3)
    assert add_working_days(date(2024, 10, 8), -1) == date(2024, 9, 30)
    assert add_working_days(date(2025, 2, 5), -2) == date(2025, 1, 26)


@pytest.mark.parametrize("n", [0, 1, 5, 10, 20, 60])
def test_add_working_days_is_the_inverse_of_working_days_between(n):
    start = date(2024, 9, 20)
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_workday(end)


def test_workday_unknown_year_falls_back_to_monday_to_friday_and_warns_once(caplog):
    caplog.set_level(logging.WARNING, logger="core.workdays")
    first_week = [date(2099, 1, day) for day in range(1, 8)]  # Thursday 1 January to Wednesday 7 January
    assert [is_workday(day) for day in first_week] == [True, True, False, False, True, True, True]
    assert working_days_between(date(2099, 1, 2), date(2099, 1, 9)) == 5
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)
    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "chinesecalendar has no holiday schedule for 2099"
    ]


def test_workday_check_is_silent_while_this_year_and_next_are_covered():
    last = workdays.covered_years()[-1]
    assert check_workday_calendar_is_current(None, today=date(last - 1, 6, 1)) == []


def test_workday_check_warns_in_december_when_next_year_is_missing():
    last = workdays.covered_years()[-1]
    warnings = check_workday_calendar_is_current(None, today=date(last, 12, 1))
    assert [warning.id for warning in warnings] == ["core.W001"]
    assert f"for {last + 1} " in warnings[0].msg


def test_workday_check_is_silent_about_next_year_before_december():
    # The schedule of the next year is not published before November: nothing to upgrade to.
    last = workdays.covered_years()[-1]
    assert check_workday_calendar_is_current(None, today=date(last, 11, 15)) == []


def test_workday_check_warns_when_this_year_is_missing():
    warnings = check_workday_calendar_is_current(None, today=date(2099, 3, 1))
    assert [warning.id for warning in warnings] == ["core.W001"]
    assert "for 2099 " in warnings[0].msg
