"""Guessing stays bounded (issue 18, item 3c): unknown browsers make at most
LOGIN_ACCOUNT_FAILURES_PER_HOUR (10) password or code guesses at one account in any hour,
from all addresses together, and at most LOGIN_LOCK_FAILURES (5) from one address within
the lock window; an address makes at most LOGIN_ADDRESS_LOCK_FAILURES (50)."""

from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from security.models import SignInFailure, SignInThrottle
from tests.factories import make_totp_device
from tests.security.helpers import fail, guesses, sign_in, solve_captcha
from tests.security.test_second_factor_failures import send_code, wrong_code

GUESSES_AN_HOUR = 10


def error_codes(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def test_unknown_browsers_guess_at_most_ten_times_an_hour_at_an_account_across_addresses(world):
    codes = [error_codes(fail(Client(), "sjzunit", address=f"10.2.0.{index}")) for index in range(30)]
    # The tenth guess is told of the lock it began; every later one is refused unchecked.
    assert codes == [["invalid_login"]] * 9 + [["account_locked"]] * 21
    assert guesses("sjzunit") == GUESSES_AN_HOUR
    lock = SignInThrottle.objects.get(kind="account")
    first = SignInFailure.objects.order_by("at").first().at
    assert (lock.key, lock.failures, lock.locked_until) == ("sjzunit", 10, first + timedelta(hours=1))


def test_the_bound_slides_with_the_hour(world, settings):
    for index in range(GUESSES_AN_HOUR):
        fail(Client(), "sjzunit", address=f"10.2.1.{index}")
    # An hour later the guesses have run out, and the lock with them.
    past = timezone.now() - timedelta(hours=1, seconds=1)
    SignInFailure.objects.update(at=past)
    SignInThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    client = Client()
    response = fail(client, "sjzunit", address="10.2.2.1")
    assert error_codes(response) == ["invalid_login"]
    # The old ones are dropped on the way.
    assert guesses("sjzunit") == 1


def test_one_address_guesses_at_most_five_times_at_an_account(world):
    client = Client()
    codes = [error_codes(fail(client, "sjzunit", address="10.2.3.1")) for _attempt in range(8)]
    assert codes == [["invalid_login"]] * 4 + [["account_locked"]] * 4
    assert guesses("sjzunit") == 5


def test_codes_count_toward_the_hourly_bound_as_passwords_do(world):
    """Three rounds of the right password and five wrong codes, each from another address."""
    device = make_totp_device(world.province_staff)
    outcomes = []
    for index in range(3):
        client = Client()
        address = f"10.3.0.{index}"
        response = sign_in(client, "pstaff", address=address, answer=solve_captcha(client))
        if response.status_code != 302:
            outcomes.append(error_codes(response))
            continue
        for _code in range(5):
            send_code(client, wrong_code(device), address=address)
        outcomes.append("signed out" if "_auth_user_id" not in client.session else "still in")
    assert outcomes == ["signed out", "signed out", ["account_locked"]]
    assert guesses("pstaff") == GUESSES_AN_HOUR
    assert SignInThrottle.objects.filter(kind="account", key="pstaff").exists()


def test_an_address_guesses_at_most_fifty_times(world, settings):
    client = Client()
    for index in range(settings.LOGIN_ADDRESS_LOCK_FAILURES):
        if index % 25 == 0:
            cache.clear()  # the flood limit of sign-in posts is not what is tested here
        fail(client, f"name{index}", address="10.2.4.1")
    response = fail(client, "sjzunit", address="10.2.4.1")
    assert error_codes(response) == ["address_locked"]
    assert SignInFailure.objects.filter(address="10.2.4.1").count() == 50
