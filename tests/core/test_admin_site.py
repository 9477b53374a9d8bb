import pytest

from accounts.roles import Role


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/organisations/organisation/",
        "/admin/campaigns/campaign/",
        "/admin/notices/notice/",
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
