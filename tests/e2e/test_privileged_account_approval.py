"""三员分立 in the browser: the system administrator asks for an audit administrator's
account, which cannot sign in until the security administrator approves it."""

import pytest

from accounts.models import RoleGrant, User
from tests.e2e.conftest import open_menu_item, sign_in

pytestmark = pytest.mark.browser


def test_an_audit_administrator_account_waits_for_the_security_administrators_approval(world, page):
    sign_in(page, world.system_admin)
    page.goto(f"/accounts/organisations/{world.province.pk}/users/new/")
    page.get_by_label("用户名").fill("auditor2")
    page.get_by_label("姓名").fill("审计员二")
    page.get_by_label("角色").select_option(label="审计管理员")
    page.get_by_label("密码", exact=True).fill("Maple-2026-pass!")
    page.get_by_label("确认密码").fill("Maple-2026-pass!")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("[data-testid=pending-grant]")
    assert "第二名管理员" in page.locator(".alert-info").inner_text()
    assert User.objects.get(username="auditor2").is_active is False

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    sign_in(page, world.security_admin)
    open_menu_item(page, "accounts:grant-list")
    row = page.locator("tr", has_text="auditor2")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("approve").click()
    page.wait_for_selector(".alert-success")
    assert row.locator("[data-grant-status]").get_attribute("data-grant-status") == RoleGrant.Status.APPROVED
    assert User.objects.get(username="auditor2").is_active is True
