"""An association opens its workspace, follows a number to the list behind it and
reminds a unit that has not started."""

import re

import pytest
from playwright.sync_api import expect

from core.roles import Role
from notifications.models import Notification
from reports.models import UnitReminder
from tests.e2e.conftest import sign_in
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.browser


def test_association_workspace_follow_a_number_and_remind(page, live_server, world):
    idle = make_organisation(name="石家庄第二中学", parent=world.shijiazhuang)
    operator = make_user(role=Role.UNIT, organisation=idle, email="idle@example.cn")
    sign_in(page, world.sjz_association)

    page.goto("/reports/workspace/")
    figure = page.locator('[data-stat="not_started"]')
    # 石家庄第一中学 and the new school: neither has a plan or an application.
    expect(figure.locator("[data-value]")).to_have_text("2")
    figure.click()
    page.wait_for_url(re.compile(r"/reports/workspace/units/\?show=not-started$"))
    expect(page.locator("[data-unit]")).to_have_count(2)

    row = page.locator(f'[data-unit="{idle.pk}"]')
    row.get_by_test_id("pick-unit").check()
    page.get_by_test_id("remind-start").click()
    expect(page.get_by_test_id("remind-units").locator("[data-unit]")).to_have_count(1)
    page.locator("#id_message").fill("请本周内提交创建计划。")
    page.get_by_test_id("remind-confirm").click()
    page.wait_for_url(re.compile(r"/reports/workspace/units/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f'[data-unit="{idle.pk}"] [data-reminded-today]')).to_be_visible()

    assert list(UnitReminder.objects.values_list("unit_id", flat=True)) == [idle.pk]
    assert list(Notification.objects.filter(kind="reports.unit_reminded").values_list("recipient_id", "body")) == [
        (operator.pk, "请本周内提交创建计划。")
    ]
