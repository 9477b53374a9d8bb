import pytest

from accounts.models import User
from audit.models import AuditRecord
from core.roles import Role
from tests.factories import make_user


def new_user(**changes):
    data = {
        "username": "newop",
        "display_name": "王芳",
        "email": "wf@example.cn",
        "phone": "0311-1234567",
        "role": Role.UNIT,
        "password1": "Wangfang-Lantern-2026",
        "password2": "Wangfang-Lantern-2026",
    }
    data.update(changes)
    return data


def test_association_adds_an_operator_to_a_unit_of_its_area(world, client_for):
    response = client_for(world.sjz_association).post(
        f"/accounts/organisations/{world.sjz_unit.pk}/users/new/", new_user()
    )
    user = User.objects.get(username="newop")
    assert response.status_code == 302
    assert (user.role, user.organisation, user.check_password("Wangfang-Lantern-2026")) == (
        Role.UNIT,
        world.sjz_unit,
        True,
    )
    assert AuditRecord.objects.filter(action="user.create", object_id=str(user.pk)).count() == 1


def test_association_cannot_add_an_account_in_another_city(world, client_for):
    response = client_for(world.ts_association).post(
        f"/accounts/organisations/{world.sjz_unit.pk}/users/new/", new_user()
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="newop").exists()


def test_association_cannot_give_a_provincial_role(world, client_for):
    response = client_for(world.sjz_association).post(
        f"/accounts/organisations/{world.sjz_unit.pk}/users/new/", new_user(role=Role.PROVINCE_ADMIN)
    )
    assert list(response.context["form"].errors) == ["role"]
    assert not User.objects.filter(username="newop").exists()


def test_role_must_fit_the_organisation(world, client_for):
    response = client_for(world.province_staff).post(
        f"/accounts/organisations/{world.shijiazhuang.pk}/users/new/", new_user(role=Role.UNIT)
    )
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="newop").exists()


def test_weak_password_is_refused_next_to_the_field(world, client_for):
    response = client_for(world.province_staff).post(
        f"/accounts/organisations/{world.sjz_unit.pk}/users/new/", new_user(password1="12345678", password2="12345678")
    )
    assert list(response.context["form"].errors) == ["password1"]
    assert not User.objects.filter(username="newop").exists()


def test_user_list_of_an_association_shows_its_area_only(world, client_for):
    response = client_for(world.ts_association).get("/accounts/users/")
    assert {u.username for u in response.context["page_obj"]} == {"ts", "tsunit"}


def test_user_of_another_city_is_404_by_url(world, client_for):
    client = client_for(world.ts_association)
    assert client.get(f"/accounts/users/{world.sjz_operator.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{world.sjz_operator.pk}/active/", {"active": "0"}).status_code == 404
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.is_active is True


def test_disabling_an_account_stops_its_sign_in_and_is_audited(world, client_for, client):
    client_for(world.sjz_association).post(f"/accounts/users/{world.sjz_operator.pk}/active/", {"active": "0"})
    response = client.post("/accounts/login/", {"username": "sjzunit", "password": "Test-pass-2026"})
    assert response.status_code == 200
    assert AuditRecord.objects.get(action="user.disable").object_id == str(world.sjz_operator.pk)


def test_association_cannot_edit_a_provincial_account(world, client_for):
    response = client_for(world.sjz_association).get(f"/accounts/users/{world.province_staff.pk}/edit/")
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 2])
def test_user_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries, extra):
    for i in range(extra):
        make_user(role=Role.UNIT, organisation=world.sjz_unit, username=f"extra{i}")
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(7):
        response = client.get("/accounts/users/")
    assert response.context["page_obj"].paginator.count == 11 + extra


def test_association_cannot_add_an_account_to_its_own_association(world, client_for):
    client = client_for(world.sjz_association)
    page = client.get(f"/organisations/{world.shijiazhuang.pk}/")
    assert page.context["can_add_account"] is False
    assert client.get(f"/accounts/organisations/{world.shijiazhuang.pk}/users/new/").status_code == 403
