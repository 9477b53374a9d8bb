"""In February 2027, before any chinesecalendar release knows 2027, the provincial
administrator finds the missing arrangement on its home page, enters the Spring Festival
from the State Council's notice, and the inbox's waiting time skips those days."""

import datetime
import zoneinfo

import pytest

from tests.applications.factories import submitted
from tests.e2e.conftest import sign_in
from tests.factories import World
from workdays.calendar import package_years

pytestmark = pytest.mark.browser

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2027
SUBMITTED = datetime.datetime(YEAR, 2, 1, 10, tzinfo=BEIJING)  # a Monday
TODAY = datetime.datetime(YEAR, 2, 22, 10, tzinfo=BEIJING)  # the Monday three weeks on
# Monday to Friday: 2–5, 8–12, 15–19 and 22 February.
WAITING_MONDAY_TO_FRIDAY = 15
# The made-up arrangement: Saturday 6 to Sunday 14 February off, Saturday 20 worked; so
# 2–5, 15–19, 20 and 22 February.
WAITING_WITH_SPRING_FESTIVAL = 11


@pytest.mark.django_db(transaction=True)
def test_the_administrator_enters_the_spring_festival_and_the_waiting_time_skips_it(page, time_machine):
    assert YEAR not in package_years(), "chinesecalendar now covers 2027: move this test to the first year it lacks"
    time_machine.move_to(SUBMITTED, tick=True)
    world = World()
    application = submitted(world)
    time_machine.move_to(TODAY, tick=True)
    sign_in(page, world.province_admin)

    page.goto("/applications/inbox/")
    row = page.locator(f'tr[data-application="{application.pk}"]')
    assert row.locator("td").nth(6).inner_text() == str(WAITING_MONDAY_TO_FRIDAY)
    assert "2027" in page.get_by_test_id("weekday-basis-note").inner_text()

    page.goto("/")
    page.locator('[data-todo="workdays.arrangement"]').get_by_role("link", name="录入 2027 年节假日安排").click()
    page.wait_for_url(f"**/workdays/{YEAR}/edit/")
    form = page.get_by_test_id("arrangement-form")
    form.get_by_label("文号").fill("国办发明电〔2026〕9号")
    spring_festival = form.locator("[data-formset-row]").filter(has=page.locator('input[value="春节"]'))
    spring_festival.locator("input[name$=first_day]").fill("2027-02-06")
    spring_festival.locator("input[name$=last_day]").fill("2027-02-14")
    spring_festival.locator("input[name$=workday_1]").fill("2027-02-20")
    form.get_by_test_id("arrangement-save").click()
    page.wait_for_url(f"**/workdays/{YEAR}/")
    assert page.get_by_test_id("year-basis").get_attribute("data-basis") == "province"
    assert page.get_by_test_id("province-days").locator("tbody tr").count() == 10

    page.goto("/applications/inbox/")
    assert row.locator("td").nth(6).inner_text() == str(WAITING_WITH_SPRING_FESTIVAL)
    assert page.get_by_test_id("weekday-basis-note").count() == 0
    page.goto("/")
    assert page.locator('[data-todo="workdays.arrangement"]').count() == 0
