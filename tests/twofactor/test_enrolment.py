import re

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from tests.factories import totp_code
from twofactor.models import RecoveryCode, TOTPDevice
from twofactor.services import SESSION_KEY

pytestmark = pytest.mark.real_second_factor

SECRET = re.compile(r'data-testid="totp-secret">([A-Z2-7 ]+)<')
CODE = re.compile(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>")


def shown_secret(response) -> str:
    return SECRET.search(response.content.decode()).group(1).replace(" ", "")


def start(client, **extra):
    """Press the enrolment page's button: the POST that makes the secret."""
    return client.post(reverse("twofactor:enrol"), {"start": "1", **extra})


def test_enrolment_page_by_get_makes_no_device_only_the_button_that_starts(world, unverified_client):
    # As a link or an <img> from another site would ask for it: nothing is written.
    client = unverified_client(world.province_staff)
    response = client.get(reverse("twofactor:enrol"), {"next": "/notices/"})
    page = response.content.decode()
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=world.province_staff).exists() is False
    assert 'data-testid="enrol-start"' in page
    assert 'name="next" value="/notices/"' in page
    assert "totp-secret" not in page


def test_enrolment_starts_by_a_post_then_shows_the_secret_on_the_page(world, unverified_client):
    client = unverified_client(world.province_staff)
    started = start(client, next="/notices/")
    assert (started.status_code, started["Location"]) == (302, f"{reverse('twofactor:enrol')}?next=%2Fnotices%2F")
    assert TOTPDevice.objects.filter(user=world.province_staff, confirmed=False).count() == 1


def test_enrolment_page_shows_a_qr_code_and_the_secret_and_stores_nothing_in_caches(world, unverified_client):
    client = unverified_client(world.province_staff)
    start(client)
    response = client.get(reverse("twofactor:enrol"))
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=world.province_staff)
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in page
    assert shown_secret(response) == device.secret
    assert "no-store" in response["Cache-Control"]
    assert device.confirmed is False


def test_enrolment_page_keeps_the_secret_across_reloads(world, unverified_client):
    client = unverified_client(world.province_staff)
    start(client)
    first = shown_secret(client.get(reverse("twofactor:enrol")))
    assert shown_secret(client.get(reverse("twofactor:enrol"))) == first
    # Pressing the button again (another tab) keeps the secret the user may have scanned.
    start(client)
    assert shown_secret(client.get(reverse("twofactor:enrol"))) == first


def test_enrolment_confirmed_by_a_code_shows_ten_recovery_codes_once(world, unverified_client):
    client = unverified_client(world.province_staff)
    start(client)
    device = TOTPDevice.objects.get(user=world.province_staff)
    response = client.post(reverse("twofactor:enrol"), {"code": totp_code(device), "next": "/notices/"})
    codes = CODE.findall(response.content.decode())
    device.refresh_from_db()
    assert (response.status_code, len(codes), len(set(codes))) == (200, 10, 10)
    assert "no-store" in response["Cache-Control"]
    assert 'download="recovery-codes.txt"' in response.content.decode()
    assert device.confirmed is True
    assert client.session[SESSION_KEY] == world.province_staff.pk
    stored = list(RecoveryCode.objects.filter(user=world.province_staff).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in hashed for code in codes for hashed in stored)
    assert (
        AuditRecord.objects.filter(action="twofactor.enrol", result="success", object_id=str(device.user_id)).count()
        == 1
    )
    assert client.get("/notices/").status_code == 200


def test_enrolment_refuses_a_wrong_code_next_to_the_field(world, unverified_client):
    client = unverified_client(world.province_staff)
    start(client)
    device = TOTPDevice.objects.get(user=world.province_staff)
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    response = client.post(reverse("twofactor:enrol"), {"code": wrong})
    device.refresh_from_db()
    assert response.status_code == 200
    assert 'data-field-error="code"' in response.content.decode()
    assert device.confirmed is False
    assert SESSION_KEY not in client.session
    assert AuditRecord.objects.filter(action="twofactor.enrol", result="failed").count() == 1


def test_enrolment_page_sends_an_enrolled_user_to_its_settings(world, client_for):
    from tests.factories import make_totp_device

    make_totp_device(world.sjz_operator)
    response = client_for(world.sjz_operator).get(reverse("twofactor:enrol"))
    assert (response.status_code, response["Location"]) == (302, reverse("twofactor:manage"))


@pytest.mark.parametrize(
    "code", ["", "abc", "\x00\x01", "1" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "１２３４５６"]
)
def test_enrolment_answers_bad_input_without_a_server_error(world, unverified_client, code):
    client = unverified_client(world.province_staff)
    start(client)
    response = client.post(reverse("twofactor:enrol"), {"code": code})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=world.province_staff).confirmed is False
