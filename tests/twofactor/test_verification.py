"""The second step of signing in, held by SecondFactorRequiredMiddleware."""

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from core.roles import Role
from tests.factories import make_totp_device, totp_code
from twofactor.models import TOTPDevice
from twofactor.services import SESSION_KEY, current_step
from twofactor.services import totp_code as code_at

pytestmark = pytest.mark.real_second_factor

REQUIRED = [Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
OPTIONAL = [Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR]
PAGES = [
    "/",
    "/notices/",
    "/accounts/password/",
    "/organisations/",
    "/account/two-factor/",
    "/account/two-factor/users/",
    "/account/two-factor/disable/",
    "/admin/",
    "/no-such-page/",
]


def wrong_code(device) -> str:
    right = {code_at(device.secret, current_step() + offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


@pytest.mark.parametrize("role", REQUIRED)
def test_required_role_without_an_app_reaches_no_page_before_enrolling(world, unverified_client, role):
    client = unverified_client(world.user_of(role))
    for url in PAGES:
        response = client.get(url)
        assert (url, response.status_code, response["Location"]) == (
            url,
            302,
            f"{reverse('twofactor:enrol')}?next={url.replace('/', '%2F')}",
        )


@pytest.mark.parametrize("role", REQUIRED + OPTIONAL)
def test_user_with_an_app_reaches_no_page_before_the_code(world, unverified_client, role):
    user = world.user_of(role)
    make_totp_device(user)
    client = unverified_client(user)
    for url in PAGES:
        response = client.get(url)
        assert (url, response.status_code, response["Location"].split("?")[0]) == (
            url,
            302,
            reverse("twofactor:verify"),
        )
    response = client.post("/notices/", {"title": "x"})
    assert (response.status_code, response["Location"]) == (302, reverse("twofactor:verify"))


@pytest.mark.parametrize("role", OPTIONAL)
def test_optional_role_without_an_app_is_not_held(world, unverified_client, role):
    client = unverified_client(world.user_of(role))
    assert client.get("/").status_code == 200
    assert client.get(reverse("twofactor:manage")).status_code == 200


def test_optional_role_with_an_unfinished_enrolment_is_not_held(world, unverified_client):
    client = unverified_client(world.sjz_operator)
    client.post(reverse("twofactor:enrol"), {"start": "1"})
    assert client.get("/").status_code == 200


def test_required_roles_follow_the_setting(world, unverified_client, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.UNIT]
    assert unverified_client(world.province_admin).get("/").status_code == 200
    assert unverified_client(world.sjz_operator).get("/").status_code == 302


def test_htmx_request_of_an_unverified_session_gets_a_client_redirect(world, unverified_client):
    make_totp_device(world.province_staff)
    response = unverified_client(world.province_staff).get("/notices/", headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (200, reverse("twofactor:verify"))


def test_unverified_session_may_sign_out_switch_language_and_reach_the_health_check(world, unverified_client):
    make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    assert client.get(reverse("core:healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get(reverse("twofactor:verify")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_right_code_verifies_the_session_and_goes_to_the_page_asked_for(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    key_before = client.session.session_key
    response = client.post(reverse("twofactor:verify"), {"code": totp_code(device), "next": "/notices/"})
    assert (response.status_code, response["Location"]) == (302, "/notices/")
    assert client.session[SESSION_KEY] == world.province_staff.pk
    assert client.session.session_key != key_before
    assert client.get("/notices/").status_code == 200
    assert AuditRecord.objects.filter(action="auth.2fa_verified", actor=world.province_staff).count() == 1


def test_verification_does_not_follow_a_next_address_of_another_site(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    response = client.post(reverse("twofactor:verify"), {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_wrong_code_is_refused_next_to_the_field_and_audited(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    response = client.post(reverse("twofactor:verify"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert 'data-field-error="code"' in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get("/").status_code == 302
    assert list(AuditRecord.objects.filter(action="auth.2fa_failed").values_list("result", flat=True)) == ["failed"]


def test_replayed_code_is_refused(world, unverified_client):
    device = make_totp_device(world.province_staff)
    code = totp_code(device)
    first = unverified_client(world.province_staff)
    assert first.post(reverse("twofactor:verify"), {"code": code}).status_code == 302
    second = unverified_client(world.province_staff)
    response = second.post(reverse("twofactor:verify"), {"code": code})
    assert response.status_code == 200
    assert SESSION_KEY not in second.session


def test_code_one_step_off_is_accepted(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    response = client.post(reverse("twofactor:verify"), {"code": code_at(device.secret, current_step() - 1)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == world.province_staff.pk


def test_five_wrong_codes_in_a_row_sign_out_and_lock_as_five_wrong_passwords_do(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    for _ in range(4):
        assert client.post(reverse("twofactor:verify"), {"code": wrong_code(device)}).status_code == 200
    assert AuditRecord.objects.filter(action="auth.lock").exists() is False
    response = client.post(reverse("twofactor:verify"), {"code": wrong_code(device)})
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="auth.2fa_failed").count() == 5
    lock = AuditRecord.objects.get(action="auth.lock")
    assert lock.details == {"kind": "account_address", "key": "pstaff 127.0.0.1", "failures": 5}
    device.refresh_from_db()
    assert device.failed_attempts == 0


def test_a_right_code_starts_the_count_of_wrong_ones_again(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    for _ in range(4):
        client.post(reverse("twofactor:verify"), {"code": wrong_code(device)})
    client.post(reverse("twofactor:verify"), {"code": totp_code(device)})
    device.refresh_from_db()
    assert device.failed_attempts == 0


@pytest.mark.parametrize(
    "code", ["", "\x00", "1" * 50, "x" * 5000, "<b>", "'; DROP TABLE x; --", "１２３４５６", "١٢٣٤٥٦", "abcde-fghij"]
)
def test_verification_answers_bad_input_without_a_server_error(world, unverified_client, code):
    make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    response = client.post(reverse("twofactor:verify"), {"code": code})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_verification_page_of_a_user_without_an_app_goes_on(world, unverified_client):
    response = unverified_client(world.sjz_operator).get(reverse("twofactor:verify"))
    assert (response.status_code, response["Location"]) == (302, "/")


def test_another_user_signing_in_on_the_session_is_not_verified(world, unverified_client):
    device = make_totp_device(world.province_staff)
    client = unverified_client(world.province_staff)
    client.post(reverse("twofactor:verify"), {"code": totp_code(device)})
    make_totp_device(world.province_admin)
    client.force_login(world.province_admin)
    assert client.get("/").status_code == 302
    assert TOTPDevice.objects.count() == 2
