"""End-to-end tests: Playwright's Python package driving Debian's /usr/bin/chromium.

Playwright's sync API keeps an event loop running in the test thread, so Django's guard
against ORM calls from async code must be lifted for these tests (they are synchronous).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, seeded_campaign, request):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    # A request still running on the live server (an autosave sent last) holds row locks:
    # PostgreSQL would deadlock it against the flush that empties the test database.
    # (networkidle would not do: it is reached once, at load, and not waited for again.)
    for open_page in context.pages:
        open_page.wait_for_function("() => !document.querySelector('.htmx-request')")
    context.close()
    # A page that breaks its own script or the CSP fails the test that opened it. A test
    # that cuts the connection on purpose expects the browser and htmx to say so.
    expected = ("ERR_INTERNET_DISCONNECTED", "htmx:sendError", "htmx:afterRequest")
    if getattr(page, "went_offline", False):
        errors = [e for e in errors if not any(marker in e for marker in expected)]
    assert errors == []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page, user, password=PASSWORD):
    """Sign in through the real login page, as a person would, and through the second
    step as well for a user who has an authenticator app or whose role needs one: the app
    (made here if the user has none yet) is played by pyotp."""
    from django.conf import settings

    from tests.factories import make_totp_device, totp_code
    from twofactor.models import TOTPDevice

    device = None
    if user.role in settings.TWO_FACTOR_REQUIRED_ROLES or TOTPDevice.objects.filter(user=user).exists():
        device = make_totp_device(user)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    # "**/" alone would match the login page's own address and return before the sign-in.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if device is not None and "/account/two-factor/verify/" in page.url:
        form = page.get_by_test_id("verify-form")
        form.locator("input[name=code]").fill(totp_code(device))
        form.locator("button[type=submit]").click()
        page.wait_for_url(lambda url: "/account/two-factor/verify/" not in url)


def open_menu_item(page, name: str) -> None:
    """Click the main menu's item `name` (its URL name), opening its drop-down first."""
    item = page.locator(f"[data-nav='{name}']")
    if not item.is_visible():
        page.locator("[data-nav-group]").filter(has=item).locator("button").click()
    item.click()
