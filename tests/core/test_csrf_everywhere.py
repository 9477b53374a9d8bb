"""CSRF protection on every unsafe request (control 5): every URL pattern, POSTed without
a token by each role that may use it (and by a visitor for public ones), is refused with
the "form expired" page; no view is exempt."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.core.test_url_access import all_samples, read_through, url_names


def test_csrf_everywhere_no_view_is_exempt():
    exempt = [name for name, view in url_names() if getattr(view, "csrf_exempt", False)]
    assert exempt == []


def test_csrf_everywhere_middleware_is_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("role", [None, *Role.values])
def test_csrf_everywhere_post_without_token_is_refused(world, role):
    samples = all_samples(world)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    user = None
    if role is not None:
        user = world.user_of(role)
        client.force_login(user)
    # A browser that once opened a form holds the cookie; only the token is missing.
    client.get(reverse("accounts:login"))
    accepted = []
    for name, view in url_names():
        may_use = view.access.public if user is None else user.role in view.access.roles
        if not may_use:
            continue
        response = client.post(reverse(name, kwargs=samples[name]), {"note": "x"})
        read_through(response)
        if response.status_code != 403 or "403_csrf.html" not in [t.name for t in response.templates]:
            accepted.append((name, response.status_code))
    assert accepted == []


def test_csrf_everywhere_forged_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sjz_operator)
    client.get(reverse("accounts:login"))
    response = client.post(reverse("core:text-size"), {"csrfmiddlewaretoken": "forged" * 6, "next": "/"})
    assert response.status_code == 403


def test_csrf_everywhere_htmx_header_with_a_wrong_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sjz_operator)
    client.get(reverse("accounts:login"))
    response = client.post(reverse("core:text-size"), headers={"x-csrftoken": "wrong", "hx-request": "true"})
    assert response.status_code == 403


def test_csrf_everywhere_a_real_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sjz_operator)
    client.get(reverse("accounts:login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("core:text-size"), {"next": "/"}, headers={"x-csrftoken": token})
    assert (response.status_code, response["Location"]) == (302, "/")
