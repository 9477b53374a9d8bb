"""At 390 px the lists people work through on a phone read as cards (no column squeezed
to one character per line, nothing wider than the screen), and the grouped menu opens
from the toggler."""

import pytest
from playwright.sync_api import expect

from tests.applications import factories as application_factories
from tests.e2e.conftest import sign_in
from tests.plans.factories import days_from_today, make_plan, make_step

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _assert_cards(page, table):
    table.locator("tbody tr").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widths = table.locator("tbody td").evaluate_all(
        "cells => cells.filter(c => c.offsetParent).map(c => c.getBoundingClientRect().width)"
    )
    assert widths
    assert min(widths) > 250  # a card's line, not a column
    # Each card line is labelled with its column's header, drawn before the value.
    headers = table.locator("thead th").evaluate_all("cells => cells.map(c => c.textContent.trim())")
    drawn = table.locator("tbody td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content.replace(/^\"|\"$/g, ''))"
    )
    assert drawn
    assert set(drawn) <= {header for header in headers if header}


def test_lists_read_as_cards_on_a_phone(seeded_campaign, world, browser, live_server):
    plan = make_plan(operator=world.sjz_operator)
    make_step(plan=plan, operator=world.sjz_operator, title="成立心理疏导工作领导小组", deadline=days_from_today(-3))
    make_step(plan=plan, operator=world.sjz_operator, title="建设心理咨询室", deadline=days_from_today(20))
    application_factories.submitted(world, operator=world.ts_operator)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    page = context.new_page()

    sign_in(page, world.sjz_operator)
    page.goto(f"/plans/{plan.pk}/")
    _assert_cards(page, page.get_by_test_id("step-table"))

    page.context.clear_cookies()
    sign_in(page, world.sjz_association)
    page.goto("/organisations/registrations/")
    _assert_cards(page, page.get_by_test_id("registration-table"))

    page.context.clear_cookies()
    sign_in(page, world.province_staff)
    page.goto("/applications/inbox/")
    _assert_cards(page, page.get_by_test_id("application-table"))
    # The grouped menu: the toggler opens the bar, a group opens its items.
    page.locator(".navbar-toggler").click()
    page.get_by_role("button", name="考察命名").click()
    page.locator("[data-nav='inspections:expert-list']").click()
    expect(page).to_have_url(f"{live_server.url}/inspections/experts/")
    context.close()
