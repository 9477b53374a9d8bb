"""A saved arrangement comes back to its form one row a holiday: each run of consecutive
days off with up to two weekend days worked, more of them on a row of their own."""

from datetime import date

from workdays.forms import FESTIVALS, SPARE_ROWS, rows_of
from workdays.services import Day


def test_a_new_year_offers_the_seven_holidays_and_spare_rows():
    assert rows_of([]) == [{"name": name} for name in FESTIVALS] + [{}] * SPARE_ROWS


def test_saved_days_group_by_holiday_and_consecutive_days():
    days = [
        Day(date(2050, 1, 22), "workday", "春节"),
        *[Day(date(2050, 1, day), "holiday", "春节") for day in (23, 24, 25)],
        Day(date(2050, 1, 29), "workday", "春节"),
        Day(date(2050, 2, 5), "workday", "春节"),
        Day(date(2050, 1, 1), "holiday", "元旦"),
        Day(date(2050, 1, 3), "holiday", "元旦"),
    ]
    assert rows_of(days) == [
        {"name": "元旦", "first_day": date(2050, 1, 1), "last_day": date(2050, 1, 1)},
        {"name": "元旦", "first_day": date(2050, 1, 3), "last_day": date(2050, 1, 3)},
        {
            "name": "春节",
            "first_day": date(2050, 1, 23),
            "last_day": date(2050, 1, 25),
            "workday_1": date(2050, 1, 22),
            "workday_2": date(2050, 1, 29),
        },
        {"name": "春节", "workday_1": date(2050, 2, 5)},
        *[{}] * SPARE_ROWS,
    ]
