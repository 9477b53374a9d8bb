"""The time-based codes themselves: drift, replay, shape."""

from tests.factories import make_totp_device
from twofactor.services import STEP_SECONDS, current_step, matching_step, totp_code

NOW = 1_790_000_000.0


def test_code_of_the_current_step_matches(world):
    device = make_totp_device(world.sjz_operator)
    step = current_step(NOW)
    assert matching_step(device, totp_code(device.secret, step), now=NOW) == step


def test_code_one_step_early_or_late_matches_for_clock_drift(world):
    device = make_totp_device(world.sjz_operator)
    step = current_step(NOW)
    assert matching_step(device, totp_code(device.secret, step - 1), now=NOW) == step - 1
    assert matching_step(device, totp_code(device.secret, step + 1), now=NOW) == step + 1


def test_code_two_steps_away_is_refused(world):
    device = make_totp_device(world.sjz_operator)
    step = current_step(NOW)
    assert matching_step(device, totp_code(device.secret, step - 2), now=NOW) is None
    assert matching_step(device, totp_code(device.secret, step + 2), now=NOW) is None


def test_code_of_a_used_step_or_an_earlier_one_is_refused(world):
    device = make_totp_device(world.sjz_operator)
    step = current_step(NOW)
    device.last_used_step = step
    assert matching_step(device, totp_code(device.secret, step), now=NOW) is None
    assert matching_step(device, totp_code(device.secret, step - 1), now=NOW) is None
    assert matching_step(device, totp_code(device.secret, step + 1), now=NOW) == step + 1


def test_code_is_read_without_spaces(world):
    device = make_totp_device(world.sjz_operator)
    code = totp_code(device.secret, current_step(NOW))
    assert matching_step(device, f" {code[:3]} {code[3:]} ", now=NOW + STEP_SECONDS // 2) is not None


def test_code_of_the_wrong_shape_is_refused(world):
    device = make_totp_device(world.sjz_operator)
    for bad in ["", "12345", "1234567", "abcdef", "\x00" * 6, "١٢٣٤٥٦", "9" * 10_000]:
        assert matching_step(device, bad, now=NOW) is None


def test_secret_is_sealed_in_the_database(world):
    from django.db import connection

    device = make_totp_device(world.sjz_operator)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM twofactor_totpdevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert (stored.startswith("enc:"), device.secret in stored) == (True, False)
