"""Step (一) 对标创建 in a browser: a unit writes its plan, its association follows it and
comments, and the unit reads the comment."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Plan, PlanStep
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def add_step(page, *, title, deadline, owner):
    form = page.get_by_test_id("step-add-form")
    form.locator("#id_title").fill(title)
    form.locator("#id_deadline").fill(deadline.isoformat())
    form.locator("#id_owner").fill(owner)
    form.get_by_test_id("step-add").click()


def test_creation_plan_written_followed_and_commented(page, live_server, world):
    today = timezone.localdate()
    sign_in(page, world.sjz_operator)

    # The unit has no plan yet: the page says what to do and offers the form.
    page.goto("/plans/mine/")
    expect(page.get_by_test_id("plan-empty")).to_be_visible()
    page.locator("#id_goals").fill("年内建成人文关怀心理疏导示范点。")
    page.locator("#id_content").fill("设立心理咨询室，组建志愿者队伍。")
    page.get_by_test_id("plan-save").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan = Plan.objects.get(unit=world.sjz_unit)

    # Two steps added in place (htmx); the first one's deadline has already passed.
    add_step(page, title="制定工作制度", deadline=today - datetime.timedelta(days=3), owner="王红")
    expect(page.locator("[data-step]")).to_have_count(1)
    add_step(page, title="建立心理咨询室", deadline=today + datetime.timedelta(days=30), owner="李明")
    expect(page.locator("[data-step]")).to_have_count(2)
    late, room = PlanStep.objects.filter(plan=plan).order_by("order")
    late_row, room_row = page.locator(f'[data-step="{late.pk}"]'), page.locator(f'[data-step="{room.pk}"]')
    expect(late_row).to_have_attribute("data-overdue", "1")

    # The second step is done already: marked in its row, which is swapped in place.
    room_row.locator(f"#id_step-{room.pk}-status").select_option("done")
    room_row.locator(f"#id_step-{room.pk}-progress").fill("咨询室已挂牌。")
    room_row.get_by_test_id("step-progress-save").click()
    expect(page.locator(f'[data-step="{room.pk}"]')).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("plan-summary")).to_have_attribute("data-done", "1")
    room.refresh_from_db()
    assert (room.status, room.done_on, room.progress) == ("done", today, "咨询室已挂牌。")

    # The association of 石家庄 sees the plan in its list, the overdue step highlighted.
    page.context.clear_cookies()
    sign_in(page, world.sjz_association)
    page.goto("/plans/")
    row = page.locator(f'[data-plan="{plan.pk}"]')
    expect(row.locator(".badge.text-bg-danger")).to_have_attribute("data-overdue", "1")
    expect(row).to_have_attribute("data-steps-done", "1")
    row.get_by_role("link", name=world.sjz_unit.name).click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    expect(page.locator(f'[data-step="{late.pk}"]')).to_have_class(re.compile(r"\btable-danger\b"))
    expect(page.locator(f'[data-step="{room.pk}"]')).to_have_attribute("data-overdue", "0")
    page.get_by_test_id("comment-form").locator("textarea").fill("制度建设已逾期，请尽快落实。")
    page.get_by_test_id("comment-submit").click()
    expect(page.locator("[data-comment-text]")).to_have_text("制度建设已逾期，请尽快落实。")

    # The unit reads the comment on its plan.
    page.context.clear_cookies()
    sign_in(page, world.sjz_operator)
    page.goto("/plans/mine/")
    page.wait_for_url(f"**/plans/{plan.pk}/")
    expect(page.locator("[data-comment-text]")).to_have_text("制度建设已逾期，请尽快落实。")
    expect(page.get_by_test_id("comment-form")).to_have_count(0)
