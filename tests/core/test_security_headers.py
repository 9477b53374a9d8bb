"""Every response of a production deployment carries the security headers and cookie
flags of issue 7 (control 5), and every response to a signed-in user is kept by no cache.

The production values are read from config/settings.py itself, in a process started
with APP_ENV=production, then applied here: the test fails when settings.py loses one.
"""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.core.test_production_settings import PRODUCTION_ENV, ROOT
from tests.core.test_url_access import all_samples, read_through, url_names
from tests.factories import PASSWORD

SECURITY_SETTINGS = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
)
PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{name: getattr(settings, name, None) for name in {SECURITY_SETTINGS!r}}}))"
)
HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.fixture(scope="session")
def production_security():
    """The security settings config/settings.py gives a production deployment."""
    dropped = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env |= PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_SETTINGS}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security):
    for name, value in production_security.items():
        setattr(settings, name, value)
    return settings


def test_security_headers_production_turns_every_protection_on(production_security):
    assert production_security == {
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def header_problems(response, *, signed_in: bool) -> list[str]:
    """What is missing from `response`'s security headers."""
    problems = []
    expected = {
        "Strict-Transport-Security": HSTS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{header}: {response.get(header)!r}")
    policy = response.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ")[0] for part in policy.split(";")}
    if "frame-ancestors 'none'" not in policy or "'unsafe-inline'" in policy or "'unsafe-eval'" in policy:
        problems.append(f"Content-Security-Policy: {policy!r}")
    # A file shown inline runs in a sandbox; every page has the full policy.
    if "sandbox" not in directives and not {"default-src", "script-src", "style-src", "object-src"} <= directives:
        problems.append(f"Content-Security-Policy incomplete: {policy!r}")
    if "geolocation=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy: {response.get('Permissions-Policy')!r}")
    if signed_in:
        cache = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if not {"private", "no-store"} <= cache:
            problems.append(f"Cache-Control: {response.get('Cache-Control')!r}")
    return problems


@pytest.mark.parametrize("role", [None, Role.PROVINCE_ADMIN, Role.UNIT, Role.SECURITY_ADMIN])
def test_security_headers_on_every_page_in_production(world, production, role):
    samples = all_samples(world)
    # A server error is test_url_access's to report; its page must carry the headers too.
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(world.user_of(role))
    wrong = []
    for name, _view in url_names():
        response = client.get(reverse(name, kwargs=samples[name]), secure=True)
        read_through(response)
        problems = header_problems(response, signed_in=role is not None)
        if problems:
            wrong.append((name, response.status_code, problems))
    assert wrong == []


def test_security_headers_on_error_pages_and_static_files(db, production):
    not_found = Client().get("/no-such-page/", secure=True)
    assert (not_found.status_code, header_problems(not_found, signed_in=False)) == (404, [])
    static = Client().get("/static/css/platform.css", secure=True)
    read_through(static)
    assert static.status_code == 200
    assert static["X-Content-Type-Options"] == "nosniff"
    assert static["Strict-Transport-Security"] == HSTS


def test_security_headers_plain_http_is_sent_to_https(db, production):
    response = Client().get("/accounts/login/")
    assert (response.status_code, response["Location"]) == (301, "https://testserver/accounts/login/")


def test_security_headers_proxy_scheme_counts_as_https(db, production):
    response = Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert (response.status_code, response["Strict-Transport-Security"]) == (200, HSTS)


def test_security_headers_session_cookie_is_secure_httponly_samesite(world, production):
    client = Client()
    page = client.get(reverse("accounts:login"), secure=True)
    csrf_cookie = client.cookies["csrftoken"]
    assert (page.status_code, bool(csrf_cookie["secure"]), csrf_cookie["samesite"]) == (200, True, "Lax")
    response = client.post(
        reverse("accounts:login"), {"username": world.sjz_operator.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert (bool(session_cookie["secure"]), bool(session_cookie["httponly"]), session_cookie["samesite"]) == (
        True,
        True,
        "Lax",
    )
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_security_headers_public_pages_stay_cacheable_for_visitors(db):
    for url in (reverse("home:index"), reverse("showcase:home"), reverse("showcase:articles")):
        response = Client().get(url)
        assert (url, response.status_code, response.get("Cache-Control")) == (url, 200, None)


def test_security_headers_signed_in_pages_are_never_stored(world, client_for):
    response = client_for(world.sjz_operator).get(reverse("home:index"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
