"""A deployment cannot set the sign-in limits so that they turn against users."""

import pytest

from security.checks import check_sign_in_limits


def test_default_limits_pass(settings):
    assert check_sign_in_limits(None) == []


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOGIN_LOCK_FAILURES", 0, ["security.E011"]),
        ("LOGIN_DEVICE_COOKIE_DAYS", 0, ["security.E011"]),
        ("LOGIN_ADDRESS_LOCK_FAILURES", 5, ["security.E012"]),
        ("LOGIN_ACCOUNT_FAILURES_PER_HOUR", 3, ["security.E012"]),
        ("LOGIN_ADDRESS_CAPTCHA_FAILURES", 1, ["security.E013"]),
    ],
)
def test_limits_that_would_turn_against_users_are_refused(settings, name, value, expected):
    setattr(settings, name, value)
    assert [error.id for error in check_sign_in_limits(None)] == expected
