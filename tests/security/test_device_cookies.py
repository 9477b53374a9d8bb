"""Nobody without the password can keep an account's owner out (issue 18, item 3a): a
browser the owner signed in with before carries a device cookie and is judged on its
own failures only; an attacker at one address does not stop the owner at another; a
wrong captcha counts against the address, never the account."""

from datetime import timedelta

from django.core import signing
from django.test import Client
from django.utils import timezone

from accounts.models import User
from security import devices
from security.models import SignInThrottle
from tests.factories import PASSWORD
from tests.security.helpers import fail, guesses, known_browser, sign_in, solve_captcha


def error_codes(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def attack(username, *, addresses, per_address=5):
    """Wrong passwords from new browsers, each captcha solved, as a patient attacker would."""
    for address in addresses:
        client = Client()
        for _attempt in range(per_address):
            fail(client, username, address=address)


def test_owner_signs_in_from_a_known_browser_while_the_account_is_under_attack(world):
    owner = known_browser("sjzunit")
    attack("sjzunit", addresses=["10.6.6.1", "10.6.6.2"])
    assert set(SignInThrottle.objects.values_list("kind", flat=True)) == {"account", "account_address"}
    # From the attacker's own address too, and without a captcha: its own record is clean.
    for address in ["127.0.0.1", "10.6.6.1"]:
        response = sign_in(owner, "sjzunit", address=address)
        assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))
        owner.post("/accounts/logout/")
    # An unknown browser is refused meanwhile.
    stranger = Client()
    response = sign_in(stranger, "sjzunit", address="10.0.0.3", answer=solve_captcha(stranger))
    assert (signed_in_as(stranger), error_codes(response)) == (None, ["account_locked"])


def test_owner_at_another_address_is_not_stopped_by_an_attacker_at_one_address(world):
    attack("sjzunit", addresses=["10.6.6.1"])
    owner = Client()
    response = sign_in(owner, "sjzunit", address="10.0.0.2", answer=solve_captcha(owner))
    assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))


def test_wrong_captchas_lock_no_account(world, settings):
    settings.LOGIN_ADDRESS_LOCK_FAILURES = 12
    attacker = Client()
    sign_in(attacker, "sjzunit", "Wrong-pass-1", address="10.6.6.1")
    for _attempt in range(20):
        solve_captcha(attacker, "AAAAA")
        sign_in(attacker, "sjzunit", PASSWORD, address="10.6.6.1", answer="BBBBB")
    assert guesses("sjzunit") == 1
    # The attacker's address is locked by its wrong captchas; the account is not.
    assert list(SignInThrottle.objects.values_list("kind", "key")) == [("address", "10.6.6.1")]
    owner = Client()
    response = sign_in(owner, "sjzunit", address="10.0.0.2", answer=solve_captcha(owner))
    assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))


def test_known_browser_is_judged_on_its_own_failures(world):
    owner = known_browser("sjzunit")
    response = sign_in(owner, "sjzunit", "Wrong-pass-1")
    assert "captcha" in response.context["form"].fields
    for _attempt in range(4):
        response = fail(owner, "sjzunit")
    assert error_codes(response) == ["device_locked"]
    lock = SignInThrottle.objects.get()
    assert (lock.kind, lock.key.split(" #")[0], lock.failures) == ("device", "sjzunit", 5)
    assert guesses("sjzunit") == 0
    # The same person in another browser at the same address is not locked.
    other = Client()
    response = sign_in(other, "sjzunit")
    assert (response.status_code, signed_in_as(other)) == (302, str(world.sjz_operator.pk))


def test_device_cookie_is_kept_from_scripts_and_lasts_its_days(world, settings):
    client = Client()
    response = sign_in(client, "sjzunit")
    cookie = response.cookies[devices.COOKIE_NAME]
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (
        True,
        "Lax",
        settings.LOGIN_DEVICE_COOKIE_DAYS * 24 * 60 * 60,
    )


def test_device_cookie_counts_only_for_the_user_it_names(world):
    browser = known_browser("sjzunit")
    attack("tsunit", addresses=["10.6.6.1", "10.6.6.2"])
    response = sign_in(browser, "tsunit", answer=solve_captcha(browser))
    assert (signed_in_as(browser), error_codes(response)) == (None, ["account_locked"])


def test_forged_or_stale_device_cookies_are_unknown_browsers(world):
    attack("sjzunit", addresses=["10.6.6.1", "10.6.6.2"])
    forged = Client()
    forged.cookies[devices.COOKIE_NAME] = signing.dumps([["sjzunit", "0123456789abcdef", "x" * 16]], salt="other")
    response = sign_in(forged, "sjzunit", answer=solve_captcha(forged))
    assert error_codes(response) == ["account_locked"]


def test_a_password_change_ends_the_device_cookies_of_the_user(world):
    browser = known_browser("sjzunit")
    user = User.objects.get(username="sjzunit")
    user.set_password("Another-pass-2027")
    user.save()
    attack("sjzunit", addresses=["10.6.6.1", "10.6.6.2"])
    response = sign_in(browser, "sjzunit", "Another-pass-2027", answer=solve_captcha(browser))
    assert error_codes(response) == ["account_locked"]


def test_a_browser_remembers_the_accounts_of_an_office_computer(world):
    browser = known_browser("sjzunit")
    sign_in(browser, "tsunit")
    browser.post("/accounts/logout/")
    attack("sjzunit", addresses=["10.6.6.1", "10.6.6.2"])
    response = sign_in(browser, "sjzunit")
    assert (response.status_code, signed_in_as(browser)) == (302, str(world.sjz_operator.pk))


def test_device_cookie_expires(world, settings, time_machine):
    browser = known_browser("sjzunit")
    time_machine.move_to(timezone.now() + timedelta(days=settings.LOGIN_DEVICE_COOKIE_DAYS, minutes=1))
    assert devices.device_for(sign_in(browser, "sjzunit", "Wrong-pass-1").wsgi_request, "sjzunit") == ""


def test_flooding_from_the_owners_address_does_not_keep_a_known_browser_out(world):
    owner = known_browser("sjzunit", address="10.8.8.8")
    flood = Client()
    statuses = {
        flood.post("/accounts/login/", {"username": f"n{i}", "password": ""}, REMOTE_ADDR="10.8.8.8").status_code
        for i in range(31)
    }
    assert 429 in statuses
    response = sign_in(owner, "sjzunit", address="10.8.8.8")
    assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))
