"""Each role signs in through the real login page and sees its own menu, and only it."""

import pytest

from core.navigation import MENU
from core.roles import Role
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def expected_menu(role):
    return [item.url_name for item in MENU if role in item.roles]


@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_and_sees_its_own_navigation(world, page, role):
    user = world.user_of(role)
    sign_in(page, user)
    shown = page.locator("[data-testid=main-menu] a").evaluate_all("links => links.map(a => a.dataset.nav)")
    assert shown == expected_menu(role)
    assert page.get_by_test_id("user-menu").inner_text().startswith(user.username)


def test_visitor_sees_the_public_menu_and_the_sign_in_button(world, page):
    page.goto("/")
    shown = page.locator("[data-testid=main-menu] a").evaluate_all("links => links.map(a => a.dataset.nav)")
    assert shown == ["home:index", "showcase:home", "showcase:verify", "notices:list", "notices:contact"]
    assert page.get_by_role("link", name="登录").first.is_visible()


def test_wrong_password_shows_a_chinese_message_next_to_the_form(world, page):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("sjzunit")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误。请注意区分大小写。"


def test_language_switch_turns_the_page_into_english_and_back(world, page):
    sign_in(page, world.sjz_association)
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.locator("[data-nav='organisations:list']").inner_text() == "Organisations"
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.locator("[data-nav='organisations:list']").inner_text() == "组织机构"


def test_sign_out_ends_the_session(world, page):
    sign_in(page, world.sjz_operator)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/organisations/mine/")
    assert "/accounts/login/" in page.url
