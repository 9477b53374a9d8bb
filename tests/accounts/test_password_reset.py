import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from accounts import views
from accounts.models import User
from accounts.password_validation import character_classes
from audit.models import AuditRecord
from security.models import UserSession


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def reset_url(user):
    return reverse("accounts:user-password-reset", args=[user.pk])


def test_reset_asks_for_confirmation_first(world, client_for):
    response = client_for(world.sjz_association).get(reset_url(world.sjz_operator))
    assert response.status_code == 200
    assert "password" not in response.context
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.must_change_password is False


def test_manager_resets_a_password_shown_once_never_stored(world, client_for):
    operator_client = client_for(world.sjz_operator)
    session_key = operator_client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client_for(world.sjz_association).post(reset_url(world.sjz_operator))
    assert response.status_code == 200
    password = response.context["password"]
    assert f'data-testid="new-password">{password}<' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert (len(password), character_classes(password) >= 3) == (12, True)
    account = User.objects.get(pk=world.sjz_operator.pk)
    assert account.check_password(password) is True
    assert account.must_change_password is True
    assert UserSession.objects.filter(session_key=session_key).exists() is False
    assert operator_client.get("/plans/").status_code == 302
    record = AuditRecord.objects.get(action="user.password_reset")
    assert (record.actor, record.object_id, record.details) == (
        world.sjz_association,
        str(world.sjz_operator.pk),
        {"sessions_ended": 1},
    )
    assert password not in str(record.details)


def test_reset_is_offered_on_the_account_page_to_its_manager_only(world, client_for):
    page = client_for(world.sjz_association).get(reverse("accounts:user-detail", args=[world.sjz_operator.pk]))
    assert reset_url(world.sjz_operator) in page.content.decode()
    not_managed = client_for(world.province_admin).get(reverse("accounts:user-detail", args=[world.system_admin.pk]))
    assert reset_url(world.system_admin) not in not_managed.content.decode()


def test_reset_outside_the_managers_area_is_refused(world, client_for):
    response = client_for(world.sjz_association).post(reset_url(world.ts_operator))
    assert response.status_code == 404
    unit = client_for(world.sjz_operator).post(reset_url(world.ts_operator))
    assert unit.status_code == 403
    assert User.objects.filter(must_change_password=True).count() == 0


def test_manager_cannot_reset_its_own_password_here(world, client_for):
    response = client_for(world.province_admin).post(reset_url(world.province_admin))
    assert response.status_code == 403


def test_resets_are_rate_limited_per_manager(world, client_for):
    client = client_for(world.sjz_association)
    statuses = [client.post(reset_url(world.sjz_operator)).status_code for _ in range(views.PASSWORD_RESETS_PER_HOUR)]
    assert statuses == [200] * views.PASSWORD_RESETS_PER_HOUR
    refused = client.post(reset_url(world.sjz_operator))
    assert refused.status_code == 429
    assert refused.context["refused"] != ""
    assert AuditRecord.objects.filter(action="user.password_reset").count() == views.PASSWORD_RESETS_PER_HOUR
