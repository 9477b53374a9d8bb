import pytest
from django.urls import reverse

from audit.models import AuditRecord
from tests.factories import make_totp_device, totp_code
from twofactor.models import RecoveryCode, TOTPDevice
from twofactor.services import _replace_recovery_codes


def test_settings_page_says_off_and_offers_to_turn_on(world, client_for):
    page = client_for(world.sjz_operator).get(reverse("twofactor:manage")).content.decode()
    assert reverse("twofactor:enrol") in page
    assert reverse("twofactor:disable") not in page


def test_settings_page_shows_only_the_users_own_app(world, client_for):
    make_totp_device(world.sjz_association)
    page = client_for(world.sjz_operator).get(reverse("twofactor:manage")).content.decode()
    assert reverse("twofactor:enrol") in page
    assert reverse("twofactor:recovery-codes") not in page


def test_settings_page_links_from_the_user_menu(world, client_for):
    assert reverse("twofactor:manage") in client_for(world.sjz_operator).get("/").content.decode()


def test_optional_role_turns_off_after_a_code(world, client_for):
    device = make_totp_device(world.sjz_operator)
    client = client_for(world.sjz_operator)
    assert client.post(reverse("twofactor:disable"), {"code": "000000x"}).status_code == 200
    assert TOTPDevice.objects.filter(user=world.sjz_operator).exists() is True
    response = client.post(reverse("twofactor:disable"), {"code": totp_code(device)})
    assert (response.status_code, response["Location"]) == (302, reverse("twofactor:manage"))
    assert TOTPDevice.objects.filter(user=world.sjz_operator).exists() is False
    assert RecoveryCode.objects.filter(user=world.sjz_operator).exists() is False
    assert AuditRecord.objects.filter(action="twofactor.disable", actor=world.sjz_operator).count() == 1


@pytest.mark.parametrize("role", ["province_admin", "province_staff", "system_admin", "security_admin", "audit_admin"])
def test_required_role_cannot_turn_off(world, client_for, role):
    user = world.user_of(role)
    device = make_totp_device(user)
    client = client_for(user)
    assert reverse("twofactor:disable") not in client.get(reverse("twofactor:manage")).content.decode()
    response = client.post(reverse("twofactor:disable"), {"code": totp_code(device)})
    assert (response.status_code, response["Location"]) == (302, reverse("twofactor:manage"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() is True


def test_disable_service_refuses_required_roles(world):
    from django.core.exceptions import PermissionDenied

    from twofactor import services

    device = make_totp_device(world.province_staff)
    with pytest.raises(PermissionDenied):
        services.disable(user=world.province_staff, code=totp_code(device))


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(world, client_for):
    device = make_totp_device(world.province_staff)
    old = _replace_recovery_codes(world.province_staff)
    client = client_for(world.province_staff)
    assert client.post(reverse("twofactor:recovery-codes"), {"code": "12345"}).status_code == 200
    assert RecoveryCode.objects.filter(user=world.province_staff).count() == 10
    response = client.post(reverse("twofactor:recovery-codes"), {"code": totp_code(device)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not any(code in page for code in old)
    assert RecoveryCode.objects.filter(user=world.province_staff).count() == 10
    assert AuditRecord.objects.filter(action="twofactor.recovery_codes_regenerated").count() == 1


@pytest.mark.parametrize("url_name", ["twofactor:recovery-codes", "twofactor:disable"])
@pytest.mark.parametrize("code", ["", "\x00", "１２３４５６", "١٢٣٤٥٦", "9" * 5000, "<b>1</b>", "' OR 1=1 --"])
def test_code_pages_answer_bad_input_without_a_server_error(world, client_for, url_name, code):
    make_totp_device(world.sjz_operator)
    response = client_for(world.sjz_operator).post(reverse(url_name), {"code": code})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=world.sjz_operator).confirmed is True
