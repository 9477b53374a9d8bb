"""A unit registers itself, typing the characters of a picture, cannot sign in until its
association approves it, then can."""

from importlib import import_module

import pytest
from django.conf import settings

from organisations.models import Organisation, Status
from security import captcha
from tests.e2e.conftest import open_menu_item, sign_in

pytestmark = pytest.mark.browser

ANSWER = "R3GXT"


def read_captcha(page, answer=ANSWER):
    """Type the picture's characters as a person would: once the picture has loaded, the
    test puts a known answer in place of the drawn one (the session keeps only a hash)."""
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-captcha-image]'); return i && i.complete && i.naturalWidth > 0; }"
    )
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    captcha.remember(session, ANSWER)
    session.save()
    page.get_by_label("图片验证码").fill(answer)


def fill_registration(page):
    page.goto("/accounts/register/")
    page.get_by_label("单位名称").fill("长安区育才街道社区")
    page.get_by_label("所属政研会").select_option(label="长安区")
    page.get_by_label("类别").select_option(label="社区")
    page.get_by_label("地址").fill("石家庄市长安区育才街1号")
    page.get_by_label("行政区划代码").fill("130102")
    page.get_by_label("联系人").fill("李华")
    page.get_by_label("联系电话").fill("0311-86000000")
    page.get_by_label("电子邮箱").fill("yucai@example.cn")
    page.get_by_label("用户名").fill("yucai")
    page.get_by_label("密码", exact=True).fill("Peach-2026-pass")
    page.get_by_label("确认密码").fill("Peach-2026-pass")
    read_captcha(page)
    page.get_by_role("button", name="提交注册").click()


def test_unit_registers_waits_for_approval_and_then_signs_in(world, page):
    fill_registration(page)
    page.wait_for_url("**/accounts/register/done/")

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("yucai")
    page.get_by_label("密码").fill("Peach-2026-pass")
    page.get_by_role("button", name="登录").click()
    assert "等待所属政研会审核" in page.get_by_role("alert").inner_text()

    sign_in(page, world.sjz_association)
    open_menu_item(page, "organisations:registrations")
    unit = Organisation.objects.get(name="长安区育才街道社区")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"[data-registration='{unit.pk}']").get_by_role("button", name="通过").click()
    page.wait_for_selector(".alert-success")
    unit.refresh_from_db()
    assert unit.status == Status.ACTIVE

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("用户名").fill("yucai")
    page.get_by_label("密码").fill("Peach-2026-pass")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    assert page.get_by_test_id("user-menu").inner_text().startswith("李华")


def test_registration_with_mistakes_keeps_what_was_typed_and_marks_the_fields(world, page):
    page.goto("/accounts/register/")
    page.get_by_label("单位名称").fill("长安区育才街道社区")
    page.get_by_label("行政区划代码").fill("13A")
    read_captcha(page)
    page.get_by_role("button", name="提交注册").click()
    assert page.get_by_label("单位名称").input_value() == "长安区育才街道社区"
    assert (
        page.locator("[data-field-error=region_code]").inner_text()
        == "行政区划代码为 6 位数字（GB/T 2260），例如 130102。"
    )
    assert page.locator("[data-field-error=association]").inner_text() == "这个字段是必填项。"
    # The picture answered once: a new one is shown and its box is empty.
    assert page.get_by_label("图片验证码").input_value() == ""
    assert not Organisation.objects.filter(name="长安区育才街道社区").exists()


def test_wrong_characters_are_the_only_error_and_keep_what_was_typed(world, page):
    page.goto("/accounts/register/")
    page.get_by_label("单位名称").fill("长安区育才街道社区")
    page.get_by_label("用户名").fill("sjzunit")
    page.get_by_label("密码", exact=True).fill("Peach-2026-pass")
    read_captcha(page, answer="WRONG")
    page.get_by_role("button", name="提交注册").click()
    assert page.locator("[data-field-error]").all_inner_texts() == ["输入的字符与图片不符，请按新图片重新输入。"]
    assert page.get_by_label("单位名称").input_value() == "长安区育才街道社区"
    assert page.get_by_label("用户名").input_value() == "sjzunit"
    assert page.get_by_label("密码", exact=True).input_value() == ""


def test_association_refuses_a_registration_with_a_reason(world, page):
    sign_in(page, world.sjz_association)
    page.goto("/organisations/registrations/")
    page.locator(f"[data-registration='{world.pending_unit.pk}']").get_by_role("link", name="不予通过…").click()
    page.get_by_label("不予通过的原因").fill("单位名称与营业执照不符")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="不予通过").click()
    page.wait_for_url("**/organisations/registrations/")
    world.pending_unit.refresh_from_db()
    assert (world.pending_unit.status, world.pending_unit.refusal_reason) == (Status.REFUSED, "单位名称与营业执照不符")
