"""Two-factor sign-in as a person meets it: enrol an authenticator app at the first
sign-in, then sign in with a code, then with a recovery code. The app is played by pyotp,
fed with the secret the page shows."""

import pyotp
import pytest

from tests.factories import PASSWORD, totp_code
from twofactor.models import TOTPDevice

pytestmark = pytest.mark.browser


def sign_in_with_password(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


def send_code(page, form_id, code):
    form = page.get_by_test_id(form_id)
    form.locator("input[name=code]").fill(code)
    form.locator("button[type=submit]").click()


def test_staff_enrols_then_signs_in_with_a_code_and_with_a_recovery_code(world, page, tmp_path):
    staff = world.province_staff
    sign_in_with_password(page, staff)
    page.wait_for_url("**/account/two-factor/enrol/**")
    # Nothing else opens before the enrolment is done.
    page.goto("/notices/")
    page.wait_for_url("**/account/two-factor/enrol/**")
    # Opening the page makes nothing: the secret is made by the POST of its button.
    assert TOTPDevice.objects.filter(user=staff).exists() is False
    page.get_by_test_id("enrol-start").click()
    page.get_by_test_id("totp-qr").wait_for()
    assert page.get_by_test_id("totp-qr").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    send_code(page, "enrol-form", pyotp.TOTP(secret).now())

    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download_info:
        page.get_by_test_id("download-codes").click()
    download = download_info.value
    saved = tmp_path / "codes.txt"
    download.save_as(saved)
    assert download.suggested_filename == "recovery-codes.txt"
    assert all(code in saved.read_text() for code in codes)
    page.locator("a.btn-primary").click()
    page.wait_for_url("**/notices/")
    sign_out(page)

    sign_in_with_password(page, staff)
    page.wait_for_url("**/account/two-factor/verify/**")
    # The next code of the app: the one used at enrolment is not taken twice.
    send_code(page, "verify-form", totp_code(TOTPDevice.objects.get(user=staff)))
    page.wait_for_url(lambda url: "/account/two-factor/" not in url)
    assert page.get_by_test_id("user-menu").inner_text().startswith(staff.username)
    sign_out(page)

    sign_in_with_password(page, staff)
    page.wait_for_url("**/account/two-factor/verify/**")
    send_code(page, "verify-form", codes[0])
    page.wait_for_url(lambda url: "/account/two-factor/" not in url)
    assert page.get_by_test_id("user-menu").inner_text().startswith(staff.username)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("two-factor").click()
    assert page.get_by_test_id("codes-left").inner_text() == "9"
