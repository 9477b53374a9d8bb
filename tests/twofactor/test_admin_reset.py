import pytest
from django.urls import reverse

from audit.models import AuditRecord
from core.roles import Role
from tests.factories import make_organisation, make_totp_device, make_user
from twofactor.models import RecoveryCode, TOTPDevice
from twofactor.services import _replace_recovery_codes, reset


def test_security_administrator_resets_a_lost_phone_after_confirming(world, client_for):
    make_totp_device(world.sjz_operator)
    _replace_recovery_codes(world.sjz_operator)
    client = client_for(world.security_admin)
    url = reverse("twofactor:user-reset", args=[world.sjz_operator.pk])
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.get(user=world.sjz_operator).confirmed is True
    response = client.post(url, {"reason": "手机丢失，已电话核实"})
    assert (response.status_code, response["Location"]) == (302, reverse("twofactor:user-list"))
    device = TOTPDevice.objects.get(user=world.sjz_operator)
    assert (device.confirmed, device.enrolment_required) == (False, True)
    assert RecoveryCode.objects.filter(user=world.sjz_operator).exists() is False
    record = AuditRecord.objects.get(action="twofactor.reset")
    assert (record.actor, record.object_id, record.reason) == (
        world.security_admin,
        str(world.sjz_operator.pk),
        "手机丢失，已电话核实",
    )


@pytest.mark.real_second_factor
def test_reset_user_must_enrol_again_at_the_next_sign_in_even_in_an_optional_role(world, client_for):
    make_totp_device(world.sjz_operator)
    reset(actor=world.security_admin, target=world.sjz_operator)
    client = client_for(world.sjz_operator)
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, f"{reverse('twofactor:enrol')}?next=%2F")


def test_reset_ends_every_session_of_the_user(world, client_for):
    make_totp_device(world.sjz_operator)
    phone = client_for(world.sjz_operator)
    assert phone.get("/accounts/password/").status_code == 200
    reset(actor=world.security_admin, target=world.sjz_operator)
    response = phone.get("/accounts/password/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/password/")


def test_security_administrator_cannot_reset_its_own_second_factor(world, client_for):
    make_totp_device(world.security_admin)
    response = client_for(world.security_admin).post(reverse("twofactor:user-reset", args=[world.security_admin.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.get(user=world.security_admin).confirmed is True


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SECURITY_ADMIN])
def test_other_roles_cannot_list_or_reset_second_factors(world, client_for, role):
    make_totp_device(world.sjz_operator)
    client = client_for(world.user_of(role))
    assert client.get(reverse("twofactor:user-list")).status_code == 403
    response = client.post(reverse("twofactor:user-reset", args=[world.sjz_operator.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.get(user=world.sjz_operator).confirmed is True
    assert AuditRecord.objects.filter(action="twofactor.reset").exists() is False


def test_reset_of_a_missing_user_is_not_found(world, client_for):
    response = client_for(world.security_admin).post(reverse("twofactor:user-reset", args=[999999]))
    assert response.status_code == 404


def test_list_shows_each_users_state_and_filters(world, client_for):
    make_totp_device(world.province_staff)
    client = client_for(world.security_admin)
    page = client.get(reverse("twofactor:user-list")).content.decode()
    assert ('data-user="pstaff"' in page, 'data-user="sjzunit"' in page) == (True, True)
    page = client.get(reverse("twofactor:user-list"), {"status": "enabled"}).content.decode()
    assert ('data-user="pstaff"' in page, 'data-user="sjzunit"' in page) == (True, False)
    page = client.get(reverse("twofactor:user-list"), {"q": "sjz", "role": "unit"}).content.decode()
    assert ('data-user="sjzunit"' in page, 'data-user="sjz"' in page) == (True, False)


@pytest.mark.parametrize(
    "query",
    [
        {"page": "-1"},
        {"page": "x" * 500},
        {"q": "\x00'\"<script>"},
        {"role": "zzz"},
        {"status": "zzz"},
        {"q": "z" * 5000},
    ],
)
def test_list_answers_bad_filters_without_a_server_error(world, client_for, query):
    assert client_for(world.security_admin).get(reverse("twofactor:user-list"), query).status_code == 200


def test_reset_answers_a_too_long_reason_next_to_the_field(world, client_for):
    make_totp_device(world.sjz_operator)
    response = client_for(world.security_admin).post(
        reverse("twofactor:user-reset", args=[world.sjz_operator.pk]), {"reason": "x" * 5000}
    )
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=world.sjz_operator).confirmed is True


@pytest.mark.parametrize("extra", [1, 30])
def test_list_queries_do_not_grow_with_the_users(world, client_for, django_assert_max_num_queries, extra):
    for _ in range(extra):
        user = make_user(role=Role.UNIT, organisation=make_organisation(parent=world.changan))
        make_totp_device(user)
        _replace_recovery_codes(user)
    client = client_for(world.security_admin)
    client.get(reverse("twofactor:user-list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("twofactor:user-list"))
    assert response.status_code == 200
