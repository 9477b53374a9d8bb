import pytest
from django.urls import reverse

from audit.models import AuditRecord
from tests.factories import make_totp_device, totp_code
from twofactor import services
from twofactor.models import RecoveryCode
from twofactor.services import SESSION_KEY

pytestmark = pytest.mark.real_second_factor


def enrolled(user):
    device = make_totp_device(user)
    codes = services._replace_recovery_codes(user)
    return device, codes


def test_recovery_code_signs_in_once(world, unverified_client):
    _, codes = enrolled(world.province_staff)
    first = unverified_client(world.province_staff)
    response = first.post(reverse("twofactor:verify"), {"code": codes[3]}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert first.session[SESSION_KEY] == world.province_staff.pk
    assert "9" in response.content.decode()  # "9 are left"
    second = unverified_client(world.province_staff)
    response = second.post(reverse("twofactor:verify"), {"code": codes[3]})
    assert response.status_code == 200
    assert SESSION_KEY not in second.session
    assert RecoveryCode.objects.filter(user=world.province_staff, used_at__isnull=False).count() == 1
    assert AuditRecord.objects.filter(action="twofactor.recovery_code_used").count() == 1


def test_recovery_code_is_read_without_hyphen_case_or_spaces(world, unverified_client):
    _, codes = enrolled(world.province_staff)
    client = unverified_client(world.province_staff)
    typed = " " + codes[0].replace("-", " ").upper()
    assert client.post(reverse("twofactor:verify"), {"code": typed}).status_code == 302


def test_recovery_code_of_another_user_is_refused(world, unverified_client):
    enrolled(world.province_staff)
    _, others = enrolled(world.province_admin)
    client = unverified_client(world.province_staff)
    assert client.post(reverse("twofactor:verify"), {"code": others[0]}).status_code == 200
    assert SESSION_KEY not in client.session


def test_old_recovery_codes_stop_working_once_replaced(world, unverified_client):
    device, old = enrolled(world.province_staff)
    services.regenerate_recovery_codes(user=world.province_staff, code=totp_code(device))
    client = unverified_client(world.province_staff)
    assert client.post(reverse("twofactor:verify"), {"code": old[0]}).status_code == 200
