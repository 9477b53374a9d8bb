from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from core.roles import Role
from security import captcha, devices
from security.models import SignInFailure, SignInThrottle
from tests.factories import PASSWORD
from tests.security.helpers import fail, guesses, sign_in, solve_captcha


def error_codes(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_captcha_is_absent_before_any_failure(world):
    client = Client()
    response = client.get("/accounts/login/")
    assert "captcha" not in response.context["form"].fields
    response = sign_in(client, "sjzunit")
    assert (response.status_code, signed_in_as(client)) == (302, str(world.sjz_operator.pk))


def test_captcha_appears_after_the_first_failure_of_the_account_and_stays_on_the_page_shown_again(world):
    client = Client()
    response = sign_in(client, "sjzunit", "Wrong-pass-1")
    assert "captcha" in response.context["form"].fields
    page = client.get("/accounts/login/").content.decode()
    assert 'data-testid="captcha"' in page
    assert reverse("security:captcha") in page


def test_captcha_appears_after_the_first_failure_of_the_account_from_anywhere(world):
    sign_in(Client(), "sjzunit", "Wrong-pass-1", address="10.0.0.1")
    client = Client()
    response = sign_in(client, "sjzunit", address="10.0.0.2")
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["captcha"]] == ["required"]
    assert signed_in_as(client) is None


def test_captcha_wrong_answer_is_refused_next_to_the_field_and_counts_against_the_address(world):
    client = Client()
    sign_in(client, "sjzunit", "Wrong-pass-1")
    solve_captcha(client, "AAAAA")
    response = sign_in(client, "sjzunit", answer="BBBBB")
    assert list(response.context["form"].errors) == ["captcha"]
    assert signed_in_as(client) is None
    # The wrong captcha counts against the address only, never against the account.
    assert guesses("sjzunit") == 1
    assert SignInFailure.objects.filter(reason="captcha", address="127.0.0.1").count() == 1
    refused = AuditRecord.objects.filter(action="auth.login_failed", reason="captcha")
    assert refused.count() == 1


def test_captcha_right_answer_and_password_sign_in(world):
    client = Client()
    sign_in(client, "sjzunit", "Wrong-pass-1")
    response = sign_in(client, "sjzunit", answer=solve_captcha(client).lower())
    assert (response.status_code, signed_in_as(client)) == (302, str(world.sjz_operator.pk))
    assert guesses("sjzunit") == 0
    assert devices.COOKIE_NAME in response.cookies


def test_captcha_answers_once(world):
    client = Client()
    session = client.session
    captcha.remember(session, "ABCDE")
    assert captcha.check(session, "ABCDE") is True
    assert captcha.check(session, "ABCDE") is False


def test_captcha_picture_is_a_png_never_stored(world):
    client = Client()
    response = client.get(reverse("security:captcha"))
    assert response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "no-store" in response["Cache-Control"]
    assert captcha.SESSION_KEY in client.session


def test_captcha_picture_answer_is_kept_hashed(world):
    client = Client()
    client.get(reverse("security:captcha"))
    stored = client.session[captcha.SESSION_KEY]
    assert len(stored) == 64
    assert set(stored) <= set("0123456789abcdef")


def test_account_is_locked_from_an_address_after_five_failures_there(world, settings):
    client = Client()
    for _attempt in range(5):
        fail(client, "sjzunit", address="10.0.1.1")
    response = sign_in(client, "sjzunit", address="10.0.1.1", answer=solve_captcha(client))
    assert signed_in_as(client) is None
    assert error_codes(response) == ["account_locked"]
    throttle = SignInThrottle.objects.get(kind=SignInThrottle.Kind.ACCOUNT_ADDRESS)
    assert throttle.key == "sjzunit 10.0.1.1"
    assert throttle.locked_until > timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES - 1)
    lock = AuditRecord.objects.get(action="auth.lock")
    assert lock.details == {"kind": "account_address", "key": "sjzunit 10.0.1.1", "failures": 5}
    # Another account from that address is not touched by the lock.
    other = Client()
    sign_in(other, "tsunit", address="10.0.1.1")
    assert signed_in_as(other) == str(world.ts_operator.pk)
    # Nor is the account from another address (a new browser there answers the captcha).
    owner = Client()
    sign_in(owner, "sjzunit", address="10.0.2.1", answer=solve_captcha(owner))
    assert signed_in_as(owner) == str(world.sjz_operator.pk)


def test_fifth_failure_tells_of_the_lock(world):
    client = Client()
    for _attempt in range(4):
        fail(client, "sjzunit", address="10.0.1.1")
    response = fail(client, "sjzunit", address="10.0.1.1")
    assert error_codes(response) == ["account_locked"]


def test_address_is_locked_after_its_limit_of_failures_on_different_accounts(world, settings):
    settings.LOGIN_ADDRESS_LOCK_FAILURES = 8
    client = Client()
    for index in range(8):
        fail(client, f"a{index}", address="10.9.9.9")
    response = sign_in(client, "sjzunit", address="10.9.9.9", answer=solve_captcha(client))
    assert signed_in_as(client) is None
    assert error_codes(response) == ["address_locked"]
    lock = AuditRecord.objects.get(action="auth.lock", details__kind="address")
    assert (lock.details["key"], lock.details["failures"]) == ("10.9.9.9", 8)
    other = Client()
    sign_in(other, "sjzunit", address="10.9.9.10")
    assert signed_in_as(other) == str(world.sjz_operator.pk)


def test_failures_older_than_the_window_start_a_new_count(world, settings):
    client = Client()
    for _attempt in range(4):
        fail(client, "sjzunit", address="10.0.1.1")
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES + 1)
    SignInFailure.objects.update(at=past)
    fail(client, "sjzunit", address="10.0.1.1")
    assert SignInThrottle.objects.exists() is False
    assert SignInFailure.objects.filter(at__gt=past).count() == 1


def test_lock_lifts_by_itself_after_thirty_minutes_and_the_unlock_is_audited(world, settings):
    client = Client()
    for _attempt in range(5):
        fail(client, "sjzunit", address="10.0.1.1")
    # Thirty minutes later, moved in the stored times rather than waited for.
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    SignInFailure.objects.update(at=past)
    SignInThrottle.objects.update(
        first_failure_at=past, last_failure_at=past, locked_until=timezone.now() - timedelta(seconds=1)
    )
    sign_in(client, "sjzunit", address="10.0.1.1", answer=solve_captcha(client))
    assert signed_in_as(client) == str(world.sjz_operator.pk)
    unlock = AuditRecord.objects.get(action="auth.unlock")
    assert (unlock.reason, unlock.details, unlock.actor) == (
        "expired",
        {"kind": "account_address", "key": "sjzunit 10.0.1.1"},
        None,
    )


def test_lock_is_not_lengthened_by_tries_while_locked(world):
    client = Client()
    for _attempt in range(5):
        fail(client, "sjzunit", address="10.0.1.1")
    locked_until = SignInThrottle.objects.get().locked_until
    fail(client, "sjzunit", address="10.0.1.1")
    assert SignInThrottle.objects.get().locked_until == locked_until
    assert AuditRecord.objects.filter(action="auth.login_failed", reason="locked").count() == 1
    assert guesses("sjzunit") == 5


def test_security_administrator_unlocks_after_confirming(world, client_for):
    client = Client()
    for _attempt in range(5):
        fail(client, "sjzunit", address="10.0.1.1")
    lock = SignInThrottle.objects.get(key="sjzunit 10.0.1.1")
    admin = client_for(world.security_admin)
    listing = admin.get(reverse("security:lock-list")).content.decode()
    assert 'data-lock="sjzunit 10.0.1.1"' in listing
    confirm = admin.get(reverse("security:lock-unlock", args=[lock.pk]))
    assert confirm.status_code == 200
    assert SignInThrottle.objects.filter(pk=lock.pk).exists()
    response = admin.post(reverse("security:lock-unlock", args=[lock.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("security:lock-list"))
    assert SignInThrottle.objects.filter(pk=lock.pk).exists() is False
    record = AuditRecord.objects.get(action="auth.unlock")
    assert (record.actor, record.reason, record.details) == (
        world.security_admin,
        "manual",
        {"kind": "account_address", "key": "sjzunit 10.0.1.1"},
    )
    # The failures it counted are forgiven with it: no captcha, no lock at the next mistake.
    assert guesses("sjzunit") == 0
    sign_in(client, "sjzunit", address="10.0.1.1")
    assert signed_in_as(client) == str(world.sjz_operator.pk)


def test_unlock_of_a_lock_no_longer_holding_answers_404(world, client_for):
    now = timezone.now()
    lock = SignInThrottle.objects.create(
        kind="account", key="x", failures=5, first_failure_at=now, last_failure_at=now, locked_until=now
    )
    response = client_for(world.security_admin).post(reverse("security:lock-unlock", args=[lock.pk]))
    assert response.status_code == 404


def make_locks(count):
    now = timezone.now()
    for index in range(count):
        SignInThrottle.objects.create(
            kind=SignInThrottle.Kind.ACCOUNT if index % 2 else SignInThrottle.Kind.ADDRESS,
            key=f"key-{index}",
            failures=5,
            first_failure_at=now,
            last_failure_at=now,
            locked_until=now + timedelta(minutes=30),
        )


@pytest.mark.parametrize("count", [1, 3])
def test_lock_list_queries_do_not_grow_with_its_rows(world, client_for, django_assert_max_num_queries, count):
    make_locks(count)
    client = client_for(world.security_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("security:lock-list"))
    assert len(response.context["page_obj"].object_list) == count


def test_lock_list_filters_by_name_and_kind(world, client_for):
    make_locks(4)
    client = client_for(world.security_admin)
    by_key = client.get(reverse("security:lock-list"), {"q": "key-1"}).context["page_obj"].object_list
    assert [lock.key for lock in by_key] == ["key-1"]
    by_kind = client.get(reverse("security:lock-list"), {"kind": "address"}).context["page_obj"].object_list
    assert sorted(lock.key for lock in by_kind) == ["key-0", "key-2"]


def test_lock_list_ignores_a_bad_filter(world, client_for):
    make_locks(2)
    response = client_for(world.security_admin).get(
        reverse("security:lock-list"), {"q": "\x00<script>", "kind": "zzz", "page": "-1"}
    )
    assert (response.status_code, len(response.context["page_obj"].object_list)) == (200, 2)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SECURITY_ADMIN])
def test_only_the_security_administrator_reaches_locks_and_sessions(world, client_for, role):
    make_locks(1)
    lock = SignInThrottle.objects.get()
    client = client_for(world.user_of(role))
    statuses = [
        client.get(reverse("security:lock-list")).status_code,
        client.post(reverse("security:lock-unlock", args=[lock.pk])).status_code,
        client.get(reverse("security:session-list")).status_code,
    ]
    assert statuses == [403, 403, 403]
    assert SignInThrottle.objects.filter(pk=lock.pk).exists()


def test_sign_in_posts_are_rate_limited_per_address(world):
    client = Client()
    statuses = [
        client.post("/accounts/login/", {"username": f"n{i}", "password": ""}, REMOTE_ADDR="10.7.7.7").status_code
        for i in range(31)
    ]
    assert statuses == [200] * 30 + [429]
    response = client.post("/accounts/login/", {"username": "sjzunit", "password": PASSWORD}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 429
    assert 'data-testid="too-many"' in response.content.decode()
    other = client.post("/accounts/login/", {"username": "sjzunit", "password": PASSWORD}, REMOTE_ADDR="10.7.7.8")
    assert other.status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "password": ""},
        {"username": "\x00", "password": "x"},
        {"username": "a" * 5000, "password": "b" * 5000},
        {"username": "' OR 1=1 --", "password": "<script>"},
        {"username": ["a", "b"], "password": "x", "captcha": "\x00"},
    ],
)
def test_sign_in_with_bad_input_answers_the_form_again(world, data):
    client = Client()
    sign_in(client, "sjzunit", "Wrong-pass-1")  # the captcha is asked for too
    response = client.post("/accounts/login/", data)
    assert response.status_code == 200
    assert response.context["form"].errors != {}


def test_failures_that_ran_out_are_dropped_at_the_next_failure(world, settings):
    past = timezone.now() - timedelta(minutes=max(settings.LOGIN_LOCK_MINUTES, 60) + 1)
    SignInFailure.objects.create(username="typo", address="10.0.0.9", reason="password", at=past)
    fail(Client(), "sjzunit")
    assert list(SignInFailure.objects.values_list("username", "address")) == [("sjzunit", "127.0.0.1")]
