"""Walks every URL pattern of the project with every role and with no login.

A view that declares nothing fails the walk; so does a declared role that is turned
away, or an undeclared role that gets in. New URL names must be given sample
arguments in tests/<app>/url_samples.py, or the walk fails and says which.
"""

import importlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role

TESTS = Path(__file__).resolve().parents[1]
# Django's admin keeps its own gate (core.admin_site: the system administrator only);
# its index stands for all its pages in the walk.
ADMIN_NAMESPACE = "admin"


def url_names():
    """(full name, view) of every named pattern outside the admin."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == ADMIN_NAMESPACE:
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"URL pattern {entry.pattern} has no name"
                found.append((f"{namespace}{entry.name}", entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


def all_samples(world):
    samples = {}
    for module_file in sorted(TESTS.glob("*/url_samples.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.url_samples")
        samples.update(module.samples(world))
    return samples


def read_through(response) -> None:
    """Read a streamed file to its end, which closes it. (Calling response.close() here
    instead would fire request_finished outside the test client, and Django would close
    the database connection under the test's transaction on PostgreSQL.)"""
    if response.streaming:
        b"".join(response.streaming_content)


def test_every_view_declares_who_may_use_it():
    undeclared = [name for name, view in url_names() if not hasattr(view, "access")]
    assert undeclared == []


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_url_answers_each_role_as_declared(world, role):
    samples = all_samples(world)
    missing = [name for name, _ in url_names() if name not in samples]
    assert missing == [], "give these URL names sample arguments in tests/<app>/url_samples.py"
    client = Client()
    user = None
    if role is not None:
        user = world.user_of(role)
        client.force_login(user)
    wrong = []
    for name, view in url_names():
        url = reverse(name, kwargs=samples[name])
        response = client.get(url)
        read_through(response)
        allowed = view.access.public or (user is not None and user.role in view.access.roles)
        login_redirect = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        if allowed and (response.status_code == 403 or login_redirect):
            wrong.append((name, response.status_code, "declared role turned away"))
        if not allowed and user is None and not login_redirect:
            wrong.append((name, response.status_code, "anonymous not sent to sign in"))
        if not allowed and user is not None and response.status_code != 403:
            wrong.append((name, response.status_code, "undeclared role let in"))
        if response.status_code >= 500:
            wrong.append((name, response.status_code, "server error"))
    assert wrong == []


@pytest.mark.parametrize("role", Role.values)
def test_admin_is_for_the_system_administrator_only(world, client_for, role):
    response = client_for(world.user_of(role)).get(reverse("admin:index"))
    expected = 200 if role == Role.SYSTEM_ADMIN else 302
    assert response.status_code == expected


GARBAGE_QUERY = {
    "page": "-1",
    "q": "\x00'\"<script>",
    "kind": "zzz",
    "sector": "zzz",
    "status": "zzz",
    "state": "zzz",
    "role": "zzz",
}


@pytest.mark.parametrize("role", [None, Role.PROVINCE_STAFF, Role.ASSOCIATION, Role.UNIT])
def test_no_url_answers_a_server_error_to_garbage_query_parameters(world, role):
    samples = all_samples(world)
    client = Client()
    if role is not None:
        client.force_login(world.user_of(role))
    failures = []
    for name, _ in url_names():
        response = client.get(reverse(name, kwargs=samples[name]), GARBAGE_QUERY)
        read_through(response)
        if response.status_code >= 500:
            failures.append((name, response.status_code))
    assert failures == []
