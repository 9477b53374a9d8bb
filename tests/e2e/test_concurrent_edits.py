"""Two people of one unit edit its creation plan at the same time, each in a browser of
their own: the second save is refused, keeps what its author typed, shows the saved
version, and goes through once its author has merged the two."""

import re

import pytest
from playwright.sync_api import expect

from applications import services
from applications.models import ApplicationIndicator
from campaigns.selectors import current_campaign
from core.roles import Role
from plans.models import Plan
from tests.e2e.conftest import sign_in
from tests.factories import World, make_user
from tests.plans.factories import make_plan

pytestmark = pytest.mark.browser


def test_concurrent_edits_of_a_plan_in_two_browsers(page, browser, live_server, world):
    plan = make_plan(operator=world.sjz_operator, goals="年内建成示范点。", content="设立心理咨询室。")
    colleague = make_user(role=Role.UNIT, organisation=world.sjz_unit, username="sjzunit2")
    other = browser.new_context(base_url=live_server.url, locale="zh-CN")
    other.set_default_timeout(10_000)
    second = other.new_page()
    try:
        sign_in(page, world.sjz_operator)
        sign_in(second, colleague)
        page.goto(f"/plans/{plan.pk}/edit/")
        second.goto(f"/plans/{plan.pk}/edit/")

        # The colleague saves first.
        second.locator("#id_content").fill("设立心理咨询室，组建志愿者队伍。")
        second.get_by_test_id("plan-save").click()
        second.wait_for_url(re.compile(rf"/plans/{plan.pk}/$"))

        # The first editor's save is refused: its text stays, the saved version is shown.
        page.locator("#id_content").fill("设立心理咨询室，每月开展团体辅导。")
        page.get_by_test_id("plan-save").click()
        conflict = page.get_by_test_id("edit-conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("设立心理咨询室，组建志愿者队伍。")
        expect(page.locator(".alert-danger")).to_contain_text("sjzunit2")
        expect(page.locator("#id_content")).to_have_value("设立心理咨询室，每月开展团体辅导。")
        assert Plan.objects.get(pk=plan.pk).content == "设立心理咨询室，组建志愿者队伍。"

        # Merged by hand and saved again: this time it goes through.
        page.locator("#id_content").fill("设立心理咨询室，组建志愿者队伍，每月开展团体辅导。")
        page.get_by_test_id("plan-save").click()
        page.wait_for_url(re.compile(rf"/plans/{plan.pk}/$"))
        assert Plan.objects.get(pk=plan.pk).content == "设立心理咨询室，组建志愿者队伍，每月开展团体辅导。"
    finally:
        other.close()


def _context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_an_offline_draft_sent_later_does_not_overwrite(browser, live_server, seeded_campaign):
    """A self-assessment row typed offline on one computer, while another computer saved
    the same row: when the connection returns, the draft is refused (not written over the
    other save), stays in the browser, the row shows the saved version, and the next edit
    of the row, the merge, is saved."""
    world = World()
    application = services.start_application(actor=world.sjz_operator, unit=world.sjz_unit, campaign=current_campaign())
    row = application.indicators.order_by("indicator__category__order", "indicator__order").first()
    laptop_context, desktop_context = _context(browser, live_server), _context(browser, live_server)
    laptop, desktop = laptop_context.new_page(), desktop_context.new_page()
    url = f"/applications/{application.pk}/assessment/"
    state = f"#indicator-{row.indicator_id} [data-save-state]"
    try:
        sign_in(laptop, world.sjz_operator)
        sign_in(desktop, world.sjz_operator)
        laptop.goto(url)
        desktop.goto(url)

        laptop_context.set_offline(True)
        laptop.get_by_test_id(f"account-{row.indicator_id}").fill("离线写的：建立了心理咨询室")
        laptop.locator(state).get_by_text("网络已断开", exact=False).wait_for()

        desktop.get_by_test_id(f"account-{row.indicator_id}").fill("另一台电脑：设立了心理驿站")
        desktop.locator(state).get_by_text("已保存", exact=True).wait_for()

        laptop_context.set_offline(False)
        laptop.evaluate("window.dispatchEvent(new Event('online'))")
        conflict = laptop.locator(f"#indicator-{row.indicator_id}").get_by_test_id("edit-conflict")
        expect(conflict).to_contain_text("另一台电脑：设立了心理驿站")
        expect(laptop.get_by_test_id(f"account-{row.indicator_id}")).to_have_value("离线写的：建立了心理咨询室")
        assert ApplicationIndicator.objects.get(pk=row.pk).account == "另一台电脑：设立了心理驿站"
        key = f"application-{application.pk}-indicator-{row.indicator_id}"
        assert "离线写的" in laptop.evaluate(f"localStorage.getItem('{key}')")

        merged = "另一台电脑：设立了心理驿站；离线写的：建立了心理咨询室"
        laptop.get_by_test_id(f"account-{row.indicator_id}").fill(merged)
        laptop.locator(state).get_by_text("已保存", exact=True).wait_for()
        assert ApplicationIndicator.objects.get(pk=row.pk).account == merged
    finally:
        for page in (laptop, desktop):
            page.wait_for_function("() => !document.querySelector('.htmx-request')")
        laptop_context.close()
        desktop_context.close()
