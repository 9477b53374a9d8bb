"""Chinese working days on real dates: the State Council's holidays and adjusted working
days from the installed package, the province's own entries where they count, and
Monday to Friday where neither source knows the year."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from workdays import calendar
from workdays.calendar import Basis, add_working_days, is_workday, weekday_only_years, working_days_between
from workdays.models import DayKind, HolidayDay, HolidayYear
from workdays.services import Day, save_year

# A year no release of the package will cover for long: the province's entries are the
# only source there. Its 1 January is a Saturday.
FAR = 2050
# The province's made-up arrangement of FAR: Monday 3 to Friday 7 January off, Saturday 8
# January worked.
FAR_DAYS = [Day(date(FAR, 1, day), DayKind.HOLIDAY, "元旦") for day in range(1, 8)] + [
    Day(date(FAR, 1, 8), DayKind.WORKDAY, "元旦")
]


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


def test_workday_unknown_year_counts_monday_to_friday():
    first_week = [date(2099, 1, day) for day in range(1, 8)]  # Thursday 1 January to Wednesday 7 January
    assert [is_workday(day) for day in first_week] == [True, True, False, False, True, True, True]
    assert working_days_between(date(2099, 1, 2), date(2099, 1, 9)) == 5
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)
    assert calendar.basis(2099) == Basis.WEEKDAYS
    assert weekday_only_years(date(2024, 5, 1), date(2099, 1, 1))[:1] == [2027]
    assert weekday_only_years(2024, 2025) == []


def test_province_entries_count_for_a_year_the_package_lacks(db, world):
    save_year(actor=world.province_admin, year=FAR, doc_number="国办发明电〔2049〕1号", days=FAR_DAYS)
    assert calendar.basis(FAR) == Basis.PROVINCE
    assert [is_workday(date(FAR, 1, day)) for day in range(1, 11)] == [False] * 7 + [True, False, True]
    # Friday 31 December before to Monday 10 January: Saturday 8 and Monday 10.
    assert working_days_between(date(FAR - 1, 12, 31), date(FAR, 1, 10)) == 2
    assert weekday_only_years(FAR, FAR) == []


def test_province_entries_do_not_count_for_a_package_year_unless_marked_as_a_correction(db, world):
    # Tuesday 8 October 2024 is a working day in the package; the entry says otherwise.
    wrong = [Day(date(2024, 10, 8), DayKind.HOLIDAY, "国庆节")]
    save_year(actor=world.system_admin, year=2024, doc_number="国办发明电〔2023〕7号", days=wrong)
    assert (calendar.basis(2024), is_workday(date(2024, 10, 8))) == (Basis.PACKAGE, True)
    save_year(
        actor=world.system_admin, year=2024, doc_number="国办发明电〔2023〕7号", days=wrong, corrects_package=True
    )
    assert (calendar.basis(2024), is_workday(date(2024, 10, 8))) == (Basis.CORRECTED, False)
    # Only the days it names: the rest of the year is still the package's.
    assert [is_workday(date(2024, 10, day)) for day in (7, 9, 12)] == [False, True, True]


def test_a_calendar_read_elsewhere_is_read_again_when_the_stamp_moves(db, world, django_assert_num_queries):
    calendar.forget()
    assert is_workday(date(FAR, 1, 3)) is True
    # Another application server saves: the rows and a new stamp, but not this process's copy.
    # (written straight, not through the services: nothing in this process hears of it)
    [arrangement] = HolidayYear.objects.bulk_create([HolidayYear(year=FAR, doc_number="x")])
    HolidayDay.objects.bulk_create(
        [HolidayDay(arrangement=arrangement, day=date(FAR, 1, 3), kind="holiday", name="元旦")]
    )
    held = calendar.current()
    cache.set(calendar.STAMP_KEY, "another-server", timeout=None)
    held.checked_at -= calendar.RECHECK_SECONDS - 1
    with django_assert_num_queries(0):
        assert is_workday(date(FAR, 1, 3)) is True  # checked less than RECHECK_SECONDS ago
    held.checked_at -= 1
    assert is_workday(date(FAR, 1, 3)) is False
    assert calendar.current().stamp == "another-server"


def test_a_calendar_whose_stamp_did_not_move_is_not_read_again(db, django_assert_num_queries):
    calendar.forget()
    calendar.current().checked_at -= calendar.RECHECK_SECONDS
    with django_assert_num_queries(0):
        assert is_workday(date(2099, 1, 5)) is True
