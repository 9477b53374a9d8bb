"""The password rules of a 等保 level-3 system: 8 to 64 characters, three of the four
character classes, not the user name, not a common password."""

import itertools

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.password_validation import initial_password
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def codes_of(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return sorted(item.code for item in error.error_list)
    return []


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("Peach-2026-pass", []),
        ("yucai2026pass", ["password_too_simple"]),
        ("YUCAI-PASS-!", ["password_too_simple"]),
        ("YUCAI-PASS-1!", []),
        ("Ab1!", ["password_pattern", "password_too_short"]),
        ("Ab1!" * 16, []),
        ("Ab1!" * 16 + "x", ["password_too_long"]),
        (
            "12345678",
            ["password_entirely_numeric", "password_pattern", "password_too_common", "password_too_simple"],
        ),
    ],
)
def test_password_rules_accept_and_refuse_by_their_codes(password, codes):
    assert codes_of(password) == codes


def test_password_cannot_contain_the_user_name(world):
    assert "password_contains_username" in codes_of("Pstaff-2026!", world.province_staff)
    assert codes_of("Peach-2026-pass", world.province_staff) == []


def test_password_change_refuses_a_two_class_password_next_to_the_field(world, client_for):
    client = client_for(world.sjz_operator)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "onlylower2026", "new_password2": "onlylower2026"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_password2"]
    assert User.objects.get(pk=world.sjz_operator.pk).check_password(PASSWORD)


def test_imported_accounts_get_initial_passwords_that_follow_the_rules():
    assert [codes_of(initial_password()) for _ in range(50)] == [[]] * 50


def change_password(client, old, new):
    return client.post(
        reverse("accounts:password-change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_password_cannot_be_the_current_or_one_of_the_five_before(world, client_for, settings):
    # Six changes in a row: the minimum age between changes is off here (it has its own
    # tests in test_password_minimum_age).
    settings.PASSWORD_MIN_AGE_HOURS = 0
    client = client_for(world.sjz_operator)
    assert "password_reused" in codes_of(PASSWORD, world.sjz_operator)
    passwords = [PASSWORD, *(f"Cedar-{n}-Harbor!" for n in range(1, 7))]
    for old, new in itertools.pairwise(passwords):
        assert change_password(client, old, new).status_code == 302
        world.sjz_operator.refresh_from_db()
        client.force_login(world.sjz_operator)
    # Now Change-6 is current and Change-1 … Change-5 the five before it; the first
    # password is six back and may come again.
    for reused in passwords[1:]:
        assert "password_reused" in codes_of(reused, world.sjz_operator)
    assert codes_of(passwords[0], world.sjz_operator) == []
    assert world.sjz_operator.password_history.count() == 6
