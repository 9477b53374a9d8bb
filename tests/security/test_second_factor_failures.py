"""Wrong second-factor codes (authenticator codes and recovery codes) count toward the
sign-in limits exactly as wrong passwords do, and a right password clears nothing until
the second factor has passed too (issue 18, item 2)."""

from django.test import Client
from django.urls import reverse

from audit.models import AuditRecord
from security import devices
from security.models import SignInThrottle
from tests.factories import make_totp_device, totp_code
from tests.security.helpers import fail, guesses, sign_in, solve_captcha
from twofactor.services import current_step
from twofactor.services import totp_code as code_at

VERIFY = "/account/two-factor/verify/"


def wrong_code(device) -> str:
    right = {code_at(device.secret, current_step() + offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def error_codes(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def held_at(client) -> str:
    """Where a signed-in session is held before it may see any page."""
    return client.get("/")["Location"].split("?")[0]


def send_code(client, code, *, address="127.0.0.1"):
    return client.post(VERIFY, {"code": code}, REMOTE_ADDR=address)


def test_three_rounds_of_right_password_and_five_wrong_codes_ask_for_the_captcha_and_lock(world):
    device = make_totp_device(world.province_staff)
    client = Client()
    outcomes = []
    for _round in range(3):
        response = sign_in(client, "pstaff", answer=solve_captcha(client))
        if response.status_code != 302:
            outcomes.append(error_codes(response))
            continue
        outcomes.append("code asked")
        for _code in range(5):
            response = send_code(client, wrong_code(device))
            if response.status_code == 302:
                break
    # The first round reached the code; its wrong codes locked the account from this
    # address, so that the right password of the later rounds no longer helped.
    assert outcomes == ["code asked", ["account_locked"], ["account_locked"]]
    assert guesses("pstaff") == 5
    lock = SignInThrottle.objects.get()
    assert (lock.kind, lock.key, lock.failures) == ("account_address", "pstaff 127.0.0.1", 5)
    # An unknown browser elsewhere is asked for the captcha for this account.
    elsewhere = sign_in(Client(), "pstaff", address="10.4.4.4")
    assert [error.code for error in elsewhere.context["form"].errors.as_data()["captcha"]] == ["required"]


def test_a_wrong_code_brings_the_captcha_as_a_wrong_password_does(world):
    device = make_totp_device(world.province_staff)
    client = Client()
    sign_in(client, "pstaff")
    send_code(client, wrong_code(device))
    response = sign_in(Client(), "pstaff", address="10.4.4.5")
    assert "captcha" in response.context["form"].fields
    assert "_auth_user_id" not in response.wsgi_request.session


def test_wrong_recovery_codes_count_too(world):
    make_totp_device(world.province_staff)
    client = Client()
    sign_in(client, "pstaff")
    for _code in range(4):
        assert send_code(client, "abcde-fghjk").status_code == 200
    response = send_code(client, "abcde-fghjk")
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    assert SignInThrottle.objects.get().key == "pstaff 127.0.0.1"


def test_right_password_does_not_clear_the_count_until_the_second_factor_passes(world):
    device = make_totp_device(world.province_staff)
    client = Client()
    for _attempt in range(4):
        fail(client, "pstaff")
    response = sign_in(client, "pstaff", answer=solve_captcha(client))
    assert (response.status_code, held_at(client)) == (302, VERIFY)
    assert guesses("pstaff") == 4
    response = send_code(client, wrong_code(device))
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert list(AuditRecord.objects.filter(action="auth.lock").values_list("details__kind", flat=True)) == [
        "account_address"
    ]


def test_the_second_factor_passing_forgives_this_browsers_failures_and_makes_it_known(world):
    device = make_totp_device(world.province_staff)
    client = Client()
    for _attempt in range(4):
        fail(client, "pstaff")
    sign_in(client, "pstaff", answer=solve_captcha(client))
    assert devices.COOKIE_NAME not in client.cookies
    response = send_code(client, totp_code(device))
    assert response.status_code == 302
    assert guesses("pstaff") == 0
    assert client.cookies[devices.COOKIE_NAME].value


def test_a_lock_begun_meanwhile_ends_the_second_step(world):
    device = make_totp_device(world.province_staff)
    client = Client()
    sign_in(client, "pstaff")
    # Someone else at this address spends the account's guesses from here meanwhile.
    other = Client()
    for _attempt in range(5):
        fail(other, "pstaff")
    response = send_code(client, totp_code(device))
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="auth.2fa_verified").exists() is False


def test_wrong_codes_of_a_known_browser_lock_that_browser_only(world):
    device = make_totp_device(world.province_staff)
    owner = Client()
    sign_in(owner, "pstaff")
    send_code(owner, totp_code(device))
    owner.post("/accounts/logout/")
    sign_in(owner, "pstaff")
    for _code in range(5):
        response = send_code(owner, wrong_code(device))
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    lock = SignInThrottle.objects.get()
    assert lock.kind == "device"
    assert lock.key.startswith("pstaff #")
    assert guesses("pstaff") == 0
    # The account itself is not locked: a new browser signs in.
    newcomer = Client()
    response = sign_in(newcomer, "pstaff")
    assert (response.status_code, held_at(newcomer)) == (302, VERIFY)
