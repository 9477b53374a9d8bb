"""Where a missing holiday arrangement is shown: on the home pages of those who can enter
it, from 1 November for the next year, and under every working-day figure it affects."""

import datetime
import zoneinfo

import pytest

from core.roles import Role
from tests.applications.factories import submitted
from tests.factories import World
from workdays import calendar
from workdays.services import save_year

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
LAST = calendar.package_years()[-1]
NEXT = LAST + 1


def _at(time_machine, day):
    # Before the world is made: its passwords would otherwise be older than the 90 days
    # after which a password must be changed, when the day moved to is far from today.
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(9), tzinfo=BEIJING), tick=False)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.PROVINCE_ADMIN, True),
        (Role.SYSTEM_ADMIN, True),
        (Role.PROVINCE_STAFF, False),
        (Role.ASSOCIATION, False),
        (Role.UNIT, False),
        (Role.SECURITY_ADMIN, False),
    ],
)
def test_home_asks_the_keepers_for_next_years_arrangement_from_1_november(db, client_for, time_machine, role, shown):
    _at(time_machine, datetime.date(LAST, 11, 1))
    world = World()
    page = client_for(world.user_of(role)).get("/").content.decode()
    assert ('data-todo="workdays.arrangement"' in page, f'href="/workdays/{NEXT}/edit/"' in page) == (
        shown,
        shown,
    )


def test_home_says_nothing_before_november_nor_once_the_year_is_entered(db, client_for, time_machine):
    _at(time_machine, datetime.date(LAST, 10, 31))
    world = World()
    client = client_for(world.province_admin)
    assert 'data-todo="workdays.arrangement"' not in client.get("/").content.decode()
    _at(time_machine, datetime.date(LAST, 12, 31))
    save_year(actor=world.province_admin, year=NEXT, doc_number="国办发明电〔2026〕1号", days=[])
    assert 'data-todo="workdays.arrangement"' not in client.get("/").content.decode()


def test_inbox_says_which_years_waiting_times_count_monday_to_friday(db, client_for, time_machine):
    _at(time_machine, datetime.date(NEXT, 1, 4))
    world = World()
    submitted(world)
    _at(time_machine, datetime.date(NEXT, 1, 20))
    client = client_for(world.province_staff)
    note = 'data-testid="weekday-basis-note"'
    page = client.get("/applications/inbox/").content.decode()
    assert note in page
    assert f"{NEXT} 年的节假日安排尚未录入" in page
    save_year(actor=world.province_admin, year=NEXT, doc_number="国办发明电〔2026〕1号", days=[])
    assert note not in client.get("/applications/inbox/").content.decode()


def test_dashboard_says_so_too(db, client_for, time_machine):
    _at(time_machine, datetime.date(NEXT, 1, 20))
    world = World()
    page = client_for(world.province_staff).get("/dashboard/").content.decode()
    assert f"{NEXT} 年的节假日安排尚未录入" in page
