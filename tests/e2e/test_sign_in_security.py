"""Signing in as a person meets the controls: a failure brings the captcha, five bring the
lock; a password set by someone else must be changed before anything else."""

from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from core.roles import Role
from security import captcha
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

ANSWER = "K7MPX"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def solve_captcha(page):
    """Read the picture as a person would: the session holds only a hash of the drawn
    answer, so once the picture has loaded, the test puts a known answer in its place."""
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-captcha-image]'); return i && i.complete && i.naturalWidth > 0; }"
    )
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    captcha.remember(session, ANSWER)
    session.save()
    page.get_by_test_id("captcha").locator("input[name=captcha]").fill(ANSWER)


def try_sign_in(page, username, password):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    if page.get_by_test_id("captcha").count():
        solve_captcha(page)
    # The answer is a new page: wait for it, not for the load state of the one still shown.
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def test_failed_sign_ins_bring_the_captcha_then_the_lock(world, page):
    page.goto("/accounts/login/")
    assert page.get_by_test_id("captcha").count() == 0
    try_sign_in(page, "sjzunit", "Wrong-pass-1")
    assert page.locator("[data-error=invalid_login]").is_visible()
    assert page.get_by_test_id("captcha").locator("img").is_visible()
    for _ in range(4):
        try_sign_in(page, "sjzunit", "Wrong-pass-1")
    assert page.locator("[data-error=account_locked]").is_visible()
    # The right password no longer helps while the lock holds.
    try_sign_in(page, "sjzunit", PASSWORD)
    assert page.locator("[data-error=account_locked]").is_visible()
    assert "/accounts/login/" in page.url


def test_wrong_captcha_is_told_next_to_its_field(world, page):
    page.goto("/accounts/login/")
    try_sign_in(page, "sjzunit", "Wrong-pass-1")
    page.get_by_label("用户名").fill("sjzunit")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("captcha").locator("input[name=captcha]").fill("WRONG")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page.locator("[data-field-error=captcha]")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_another_picture_loads_in_place(world, page):
    page.goto("/accounts/login/")
    try_sign_in(page, "sjzunit", "Wrong-pass-1")
    image = page.locator("[data-captcha-image]")
    before = image.get_attribute("src")
    page.locator("[data-captcha-refresh]").click()
    page.wait_for_function(f"() => document.querySelector('[data-captcha-image]').getAttribute('src') !== {before!r}")
    assert "/accounts/login/" in page.url


def test_password_set_by_someone_else_is_changed_at_first_sign_in(world, page):
    user = make_user(role=Role.UNIT, organisation=world.sjz_unit, username="firsttime", must_change_password=True)
    sign_in(page, user)
    page.wait_for_url("**/accounts/password/")
    assert page.get_by_test_id("change-reason").is_visible()
    page.goto("/plans/mine/")
    page.wait_for_url("**/accounts/password/")
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "Another-pass-2027")
    page.fill("input[name=new_password2]", "Another-pass-2027")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/password/done/")
    page.goto("/")
    assert "/accounts/password/" not in page.url
    user.refresh_from_db()
    assert user.must_change_password is False
