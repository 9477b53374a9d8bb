import pytest

from core.roles import Role


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/organisations/organisation/",
    ],
)
def test_system_administrator_reaches_the_admin_pages(world, client_for, path):
    from django.contrib.auth.models import Permission

    world.system_admin.user_permissions.set(Permission.objects.all())
    assert client_for(world.system_admin).get(path).status_code == 200


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SYSTEM_ADMIN])
def test_other_roles_are_sent_to_the_admin_login(world, client_for, role):
    response = client_for(world.user_of(role)).get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_sign_in_is_the_platform_sign_in_page(client):
    # The admin's own login form would skip the lock, the captcha and the second factor.
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/admin/accounts/user/",
    )


def _admin(world, client_for):
    from django.contrib.auth.models import Permission

    world.system_admin.user_permissions.set(Permission.objects.all())
    return client_for(world.system_admin)


def test_an_account_added_in_the_admin_must_change_its_password(world, client_for):
    from accounts.models import User

    response = _admin(world, client_for).post(
        "/admin/accounts/user/add/",
        {
            "username": "added",
            "role": Role.UNIT,
            "organisation": world.sjz_unit.pk,
            "password1": "Given-pass-2026",
            "password2": "Given-pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="added").must_change_password is True


def test_a_password_set_in_the_admin_must_be_changed_and_ends_the_sessions(world, client_for):
    operator = client_for(world.sjz_operator)
    assert operator.get("/accounts/password/").status_code == 200
    response = _admin(world, client_for).post(
        f"/admin/accounts/user/{world.sjz_operator.pk}/password/",
        {"password1": "Given-pass-2026", "password2": "Given-pass-2026", "usable_password": "true"},
    )
    assert response.status_code == 302
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.must_change_password is True
    assert operator.get("/accounts/password/").status_code == 302


def test_an_account_disabled_in_the_admin_is_signed_out_at_once(world, client_for):
    from security.models import UserSession

    client_for(world.sjz_operator)
    assert UserSession.objects.filter(user=world.sjz_operator).count() == 1
    admin = _admin(world, client_for)
    page = admin.get(f"/admin/accounts/user/{world.sjz_operator.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in {"password", "is_active"}}
    data.update({"date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": ""})
    response = admin.post(f"/admin/accounts/user/{world.sjz_operator.pk}/change/", data)
    assert response.status_code == 302
    assert UserSession.objects.filter(user=world.sjz_operator).count() == 0
