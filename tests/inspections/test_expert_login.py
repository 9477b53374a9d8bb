"""Inspector logins in one place: from an expert's page the province creates the expert's
login (initial password shown once, changed at the first sign-in) or links a free one."""

from django.contrib.auth import authenticate
from django.urls import reverse

from accounts.models import User
from audit.models import AuditRecord
from core.roles import Role
from inspections.models import Inspector
from tests.factories import make_user


def _expert(world, **fields):
    return Inspector.objects.create(name="王专家", area=world.tangshan, phone="13900000001", **fields)


def test_province_creates_the_experts_login_from_its_page(world, client_for):
    expert = _expert(world, email="wang@example.cn")
    client = client_for(world.province_staff)
    page = client.get(reverse("inspections:expert-edit", args=[expert.pk]))
    assert b'data-testid="expert-login-form"' in page.content

    response = client.post(reverse("inspections:expert-login", args=[expert.pk]), {"username": "wang_expert"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    expert.refresh_from_db()
    user = expert.user
    assert (user.username, user.role, user.organisation, user.display_name) == (
        "wang_expert",
        Role.INSPECTOR,
        world.tangshan,
        "王专家",
    )
    assert user.must_change_password
    assert authenticate(username="wang_expert", password=password) == user
    assert AuditRecord.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    assert AuditRecord.objects.get(action="inspector.update").details["changed"]["user"] == ["", "王专家"]
    # The page now names the login and offers no second one; the password is never shown again.
    page = client.get(reverse("inspections:expert-edit", args=[expert.pk])).content.decode()
    assert "wang_expert" in page
    assert password not in page
    assert 'data-testid="expert-login-form"' not in page


def test_expert_login_bad_input_is_refused_next_to_the_field_and_changes_nothing(world, client_for):
    make_user(role=Role.UNIT, organisation=world.sjz_unit, username="taken")
    expert = _expert(world)
    client = client_for(world.province_staff)
    url = reverse("inspections:expert-login", args=[expert.pk])
    for username, message in (("", "请填写专家登录使用的用户名"), ("taken", "已存在"), ("有 空格!", "用户名")):
        response = client.post(url, {"username": username})
        assert response.status_code == 422
        assert message in response.context["login_form"].errors["username"][0]
    expert.refresh_from_db()
    assert expert.user is None
    assert not User.objects.filter(role=Role.INSPECTOR, display_name="王专家").exists()

    linked = _expert(world, user=make_user(role=Role.INSPECTOR, organisation=world.province, username="has_one"))
    response = client.post(reverse("inspections:expert-login", args=[linked.pk]), {"username": "second"})
    assert response.status_code == 422
    assert "已有登录账号" in response.context["login_form"].errors["username"][0]
    assert not User.objects.filter(username="second").exists()


def test_expert_login_is_for_the_province_only(world, client_for):
    expert = _expert(world)
    for user in (world.sjz_association, world.inspector, world.system_admin):
        response = client_for(user).post(reverse("inspections:expert-login", args=[expert.pk]), {"username": "x1"})
        assert response.status_code == 403
    assert not User.objects.filter(username="x1").exists()
