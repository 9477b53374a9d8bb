from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from audit.models import AuditRecord
from core.roles import Role
from security import services
from security.models import UserSession
from tests.factories import PASSWORD, make_user
from tests.security.helpers import sign_in


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def stored(key) -> bool:
    """Whether the configured session store still has the session."""
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def set_session_times(client, **seconds_ago):
    now = int(timezone.now().timestamp())
    session = client.session
    for name, ago in seconds_ago.items():
        session[{"signed_in": services.SIGNED_IN_AT, "last_seen": services.LAST_SEEN}[name]] = now - ago
    session.save()


def test_session_id_changes_at_sign_in(world):
    client = Client()
    session = client.session
    session["before"] = "anonymous"
    session.save()
    before = session_key(client)
    response = sign_in(client, "sjzunit")
    assert response.status_code == 302
    after = session_key(client)
    assert after != before
    assert stored(before) is False
    assert stored(after) is True


def test_sign_in_notes_the_session(world):
    client = Client(headers={"user-agent": "TestBrowser/1.0"})
    sign_in(client, "sjzunit", address="10.1.2.3")
    row = UserSession.objects.get()
    assert (row.user, row.session_key, row.ip, row.user_agent) == (
        world.sjz_operator,
        session_key(client),
        "10.1.2.3",
        "TestBrowser/1.0",
    )


def test_sign_out_destroys_the_server_session(world):
    client = Client()
    sign_in(client, "sjzunit")
    key = session_key(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert stored(key) is False
    assert Session.objects.filter(session_key=key).exists() is False
    assert UserSession.objects.filter(session_key=key).exists() is False


def test_idle_session_ends_with_the_reason_told(world, client_for):
    client = client_for(world.sjz_operator)
    key = session_key(client)
    set_session_times(client, last_seen=settings.SESSION_IDLE_SECONDS + 1)
    response = client.get("/plans/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?reason=idle&next=")
    assert stored(key) is False
    assert UserSession.objects.count() == 0
    page = client.get(response["Location"])
    assert 'data-testid="session-ended"' in page.content.decode()
    assert AuditRecord.objects.filter(action="auth.session_timeout", reason="idle").count() == 1


def test_session_active_within_the_idle_limit_goes_on(world, client_for):
    client = client_for(world.sjz_operator)
    set_session_times(client, last_seen=settings.SESSION_IDLE_SECONDS - 60)
    assert client.get("/").status_code == 200
    assert client.session[services.LAST_SEEN] >= int(timezone.now().timestamp()) - 2


def test_session_ends_after_eight_hours_whatever_the_activity(world, client_for):
    client = client_for(world.sjz_operator)
    set_session_times(client, signed_in=settings.SESSION_COOKIE_AGE + 1, last_seen=5)
    response = client.get("/")
    assert response["Location"].startswith("/accounts/login/?reason=expired")
    assert client.get("/plans/").status_code == 302  # signed out
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_ended_session_tells_htmx_to_load_the_sign_in_page(world, client_for):
    client = client_for(world.sjz_operator)
    set_session_times(client, last_seen=settings.SESSION_IDLE_SECONDS + 1)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?reason=idle")


def test_last_seen_is_written_at_most_once_a_minute(world, client_for):
    client = client_for(world.sjz_operator)
    earlier = timezone.now() - timedelta(minutes=5)
    UserSession.objects.update(last_seen_at=earlier)
    set_session_times(client, last_seen=30)
    client.get("/")
    assert UserSession.objects.get().last_seen_at == earlier
    set_session_times(client, last_seen=61)
    client.get("/")
    assert UserSession.objects.get().last_seen_at > earlier


def test_disabling_a_user_ends_its_sessions_at_once(world, client_for):
    first, second = client_for(world.sjz_operator), client_for(world.sjz_operator)
    keys = [session_key(first), session_key(second)]
    account_services.set_user_active(actor=world.province_admin, user=world.sjz_operator, active=False)
    assert [stored(key) for key in keys] == [False, False]
    assert UserSession.objects.filter(user=world.sjz_operator).count() == 0
    assert first.get("/plans/").status_code == 302


def test_disabling_through_the_page_ends_the_sessions(world, client_for):
    operator = client_for(world.sjz_operator)
    key = session_key(operator)
    client_for(world.sjz_association).post(
        reverse("accounts:user-set-active", args=[world.sjz_operator.pk]), {"active": "0"}
    )
    assert stored(key) is False


def test_security_administrator_sees_signed_in_users_and_ends_a_session(world, client_for):
    operator = client_for(world.sjz_operator)
    client_for(world.ts_operator)
    admin = client_for(world.security_admin)
    listing = admin.get(reverse("security:session-list")).content.decode()
    assert 'data-session-user="sjzunit"' in listing
    assert 'data-session-user="tsunit"' in listing
    filtered = admin.get(reverse("security:session-list"), {"q": "sjz"}).context["page_obj"].object_list
    assert [row.user.username for row in filtered] == ["sjzunit"]
    row = UserSession.objects.get(user=world.sjz_operator)
    assert admin.get(reverse("security:session-end", args=[row.pk])).status_code == 200
    assert stored(row.session_key) is True
    response = admin.post(reverse("security:session-end", args=[row.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("security:session-list"))
    assert stored(row.session_key) is False
    assert operator.get("/plans/").status_code == 302
    record = AuditRecord.objects.get(action="auth.session_end")
    assert (record.actor, record.object_id) == (world.security_admin, str(world.sjz_operator.pk))


def test_idle_sessions_are_not_listed(world, client_for):
    client_for(world.sjz_operator)
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1))
    admin = client_for(world.security_admin)
    users = [row.user for row in admin.get(reverse("security:session-list")).context["page_obj"].object_list]
    assert users == [world.security_admin]


def test_security_administrator_ending_its_own_session_is_signed_out(world, client_for):
    admin = client_for(world.security_admin)
    row = UserSession.objects.get(user=world.security_admin)
    response = admin.post(reverse("security:session-end", args=[row.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    assert admin.get(reverse("security:session-list")).status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_session_list_queries_do_not_grow_with_its_rows(world, client_for, django_assert_max_num_queries, count):
    for _ in range(count):
        client_for(make_user(role=Role.UNIT, organisation=world.sjz_unit))
    admin = client_for(world.security_admin)
    with django_assert_max_num_queries(10):
        response = admin.get(reverse("security:session-list"))
    assert len(response.context["page_obj"].object_list) == count + 1


def test_session_list_ignores_a_bad_filter(world, client_for):
    response = client_for(world.security_admin).get(reverse("security:session-list"), {"q": "\x00'", "page": "x"})
    assert response.status_code == 200


def test_session_end_of_an_unknown_session_answers_404(world, client_for):
    response = client_for(world.security_admin).post(reverse("security:session-end", args=[999999]))
    assert response.status_code == 404


def test_sign_in_behind_the_proxy_notes_the_address_the_proxy_saw(world, settings):
    # The proxy appends the address it saw; what comes before is the client's own word
    # and could be forged to dodge the lock of an address.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "sjzunit", "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.9, 203.0.113.7"},
    )
    assert response.status_code == 302
    assert UserSession.objects.get().ip == "203.0.113.7"


def test_sign_in_behind_two_proxies_counts_the_hops(world, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PROXY_HOPS = 2
    response = Client().post(
        "/accounts/login/",
        {"username": "sjzunit", "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.9, 203.0.113.7, 10.0.0.1"},
    )
    assert response.status_code == 302
    assert UserSession.objects.get().ip == "203.0.113.7"
