"""Provincial staff build the tree and give accounts; an association adds a unit and its operator."""

import pytest

from accounts.models import User
from core.roles import Role
from organisations.models import Kind, Organisation
from tests.e2e.conftest import open_menu_item, sign_in

pytestmark = pytest.mark.browser


def test_staff_creates_a_county_and_an_association_account(world, page):
    sign_in(page, world.province_staff)
    page.goto(f"/organisations/{world.tangshan.pk}/")
    page.get_by_role("link", name="新增下级组织").click()
    page.get_by_label("名称").fill("路北区")
    page.get_by_label("类型").select_option(label="县（市、区）")
    page.get_by_label("行政区划代码").fill("130203")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".alert-success")
    county = Organisation.objects.get(name="路北区")
    assert (county.kind, county.parent) == (Kind.COUNTY, world.tangshan)

    page.get_by_role("link", name="添加账号").click()
    page.get_by_label("用户名").fill("lubei")
    page.get_by_label("姓名").fill("路北区政研会")
    page.get_by_label("角色").select_option(label="市/行业政研会")
    page.get_by_label("密码", exact=True).fill("Maple-2026-pass")
    page.get_by_label("确认密码").fill("Maple-2026-pass")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".alert-success")
    account = User.objects.get(username="lubei")
    assert (account.role, account.organisation) == (Role.ASSOCIATION, county)


def test_association_adds_a_unit_and_its_operator_who_then_signs_in(world, page):
    sign_in(page, world.sjz_association)
    page.goto(f"/organisations/{world.changan.pk}/")
    page.get_by_role("link", name="新增下级组织").click()
    page.get_by_label("名称").fill("长安区实验小学")
    page.get_by_label("类别").select_option(label="学校")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".alert-success")
    page.get_by_role("link", name="添加账号").click()
    page.get_by_label("用户名").fill("shiyan")
    page.get_by_label("姓名").fill("张老师")
    page.get_by_label("密码", exact=True).fill("Cedar-2026-pass")
    page.get_by_label("确认密码").fill("Cedar-2026-pass")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".alert-success")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("用户名").fill("shiyan")
    page.get_by_label("密码").fill("Cedar-2026-pass")
    page.get_by_role("button", name="登录").click()
    # The association chose this password: its owner must choose its own first.
    page.wait_for_url("**/accounts/password/")
    page.get_by_label("旧密码").fill("Cedar-2026-pass")
    page.get_by_label("新密码", exact=True).fill("Cedar-2027-pass")
    page.get_by_label("新密码确认").fill("Cedar-2027-pass")
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url("**/accounts/password/done/")
    open_menu_item(page, "organisations:mine")
    assert page.get_by_role("heading", level=1).inner_text() == "长安区实验小学"


def test_user_changes_the_password_and_signs_in_with_the_new_one(world, page):
    sign_in(page, world.sjz_operator)
    page.goto("/accounts/password/")
    page.get_by_label("旧密码").fill("Test-pass-2026")
    page.get_by_label("新密码", exact=True).fill("Another-pass-2027")
    page.get_by_label("新密码确认").fill("Another-pass-2027")
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url("**/accounts/password/done/")
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.check_password("Another-pass-2027") is True
