"""A provincial office shares one network address: a few people there mistyping their
passwords neither put a captcha on their colleagues nor lock them out (issue 18, item 3b).
An account's captcha is for that account's unknown browsers; an address gets a captcha
and a lock only after many failures."""

from django.test import Client

from security.models import SignInThrottle
from tests.security.helpers import fail, known_browser, sign_in, solve_captcha

OFFICE = "10.1.1.1"


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def colleagues_mistype(count, *, address=OFFICE):
    for index in range(count):
        sign_in(Client(), f"colleague{index}", "Wrong-pass-1", address=address)


def test_limits_of_an_address_are_far_above_those_of_an_account(settings):
    assert (
        settings.LOGIN_LOCK_FAILURES,
        settings.LOGIN_ADDRESS_CAPTCHA_FAILURES,
        settings.LOGIN_ADDRESS_LOCK_FAILURES,
    ) == (
        5,
        10,
        50,
    )


def test_a_few_colleagues_mistyping_neither_captcha_nor_lock_the_others(world):
    colleagues_mistype(9)
    client = Client()
    page = client.get("/accounts/login/", REMOTE_ADDR=OFFICE)
    assert "captcha" not in page.context["form"].fields
    response = sign_in(client, "sjzunit", address=OFFICE)
    assert (response.status_code, signed_in_as(client)) == (302, str(world.sjz_operator.pk))
    assert SignInThrottle.objects.exists() is False


def test_captcha_after_an_accounts_failure_is_for_that_accounts_unknown_browsers_only(world):
    owner = known_browser("sjzunit", address=OFFICE)
    sign_in(Client(), "sjzunit", "Wrong-pass-1", address=OFFICE)
    # A colleague at the same address: no captcha.
    colleague = Client()
    response = sign_in(colleague, "tsunit", address=OFFICE)
    assert (response.status_code, signed_in_as(colleague)) == (302, str(world.ts_operator.pk))
    # The owner's own browser: no captcha either.
    response = sign_in(owner, "sjzunit", address=OFFICE)
    assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))
    # A new browser for that account: the captcha.
    newcomer = Client()
    response = sign_in(newcomer, "sjzunit", address=OFFICE)
    assert [error.code for error in response.context["form"].errors.as_data()["captcha"]] == ["required"]


def test_many_failures_at_an_address_bring_the_captcha_to_its_unknown_browsers(world, settings):
    owner = known_browser("sjzunit", address=OFFICE)
    colleagues_mistype(settings.LOGIN_ADDRESS_CAPTCHA_FAILURES)
    newcomer = Client()
    assert "captcha" in newcomer.get("/accounts/login/", REMOTE_ADDR=OFFICE).context["form"].fields
    response = sign_in(newcomer, "tsunit", address=OFFICE)
    assert [error.code for error in response.context["form"].errors.as_data()["captcha"]] == ["required"]
    response = sign_in(newcomer, "tsunit", address=OFFICE, answer=solve_captcha(newcomer))
    assert signed_in_as(newcomer) == str(world.ts_operator.pk)
    response = sign_in(owner, "sjzunit", address=OFFICE)
    assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))


def test_a_locked_address_still_lets_known_browsers_in(world, settings):
    settings.LOGIN_ADDRESS_LOCK_FAILURES = 8
    owner = known_browser("sjzunit", address=OFFICE)
    attacker = Client()
    for index in range(8):
        fail(attacker, f"guess{index}", address=OFFICE)
    assert list(SignInThrottle.objects.values_list("kind", flat=True)) == ["address"]
    response = sign_in(owner, "sjzunit", address=OFFICE)
    assert (response.status_code, signed_in_as(owner)) == (302, str(world.sjz_operator.pk))
