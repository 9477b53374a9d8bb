"""A database that is down answers a clear 503 page, and the platform recovers by itself
when the database is back (control 7).

Requests go through Django's real WSGI handler rather than the test client, because the
test client switches off what recovery rests on: closing a broken connection when a
request ends (close_old_connections on request_started and request_finished). Each
response is closed as a WSGI server closes it; the tests are transactional, so closing
the connection loses no test transaction.
"""

import socket
from contextlib import contextmanager
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from core.roles import Role
from organisations.models import Kind
from tests.core.error_urls import SECRET
from tests.factories import make_organisation, make_user

PAGE_TITLE = "The platform is temporarily unavailable"
POSTGRES = connection.vendor == "postgresql"


def serve(handler, path="/", *, cookie=""):
    """(status, headers, body) of a GET of `path`, closed as a WSGI server does."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split(" ", 1)[0])
        started["headers"] = dict(headers)

    result = handler(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()  # request_finished: Django closes or keeps the connection here
    return started["status"], started["headers"], body.decode()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_variants():
    if POSTGRES:
        return {
            "closed port": {"HOST": "127.0.0.1", "PORT": str(closed_port())},
            "missing database": {"NAME": "sfd_web_no_such_database"},
        }
    return {"missing file": {"NAME": "/nonexistent-folder/no-such.sqlite3"}}


@contextmanager
def database_unreachable(changes: dict):
    """The connection's settings pointed somewhere no database answers, for the block."""
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict.update(changes)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def signed_in_cookie(transactional_db, settings):
    province = make_organisation(name="河北省", kind=Kind.PROVINCE)
    city = make_organisation(name="石家庄市", kind=Kind.CITY, parent=province)
    user = make_user(role=Role.UNIT, organisation=make_organisation(name="石家庄第一中学", parent=city))
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def assert_unavailable_page(status, headers, body):
    assert (status, headers.get("Retry-After"), headers.get("Cache-Control")) == (503, "30", "no-store")
    with translation.override("zh-hans"):
        chinese = gettext(PAGE_TITLE)
    assert chinese in body
    assert PAGE_TITLE in body
    for leak in ("Traceback", "OperationalError", "connection", "sqlite3", "psycopg", "5432", SECRET):
        assert leak not in body


@pytest.mark.parametrize("variant", list(unreachable_variants()))
def test_database_down_answers_503_then_recovers(transactional_db, variant):
    handler = WSGIHandler()
    assert serve(handler)[0] == 200
    with database_unreachable(unreachable_variants()[variant]):
        assert_unavailable_page(*serve(handler))
    assert serve(handler)[0] == 200


def test_database_down_while_a_middleware_reads_the_session(signed_in_cookie, settings):
    # The session is loaded in a middleware, outside any view: Django has made a 500
    # of it before the 503 middleware sees the response.
    position = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:position],
        "tests.core.error_urls.SessionReadingMiddleware",
        *settings.MIDDLEWARE[position:],
    ]
    handler = WSGIHandler()
    # (A signed-in page may also send the user on, to a second factor or a new password.)
    assert serve(handler, cookie=signed_in_cookie)[0] in {200, 302}
    with database_unreachable(next(iter(unreachable_variants().values()))):
        assert_unavailable_page(*serve(handler, cookie=signed_in_cookie))
    assert serve(handler, cookie=signed_in_cookie)[0] in {200, 302}


def test_database_down_for_a_signed_in_user(signed_in_cookie):
    handler = WSGIHandler()
    with database_unreachable(next(iter(unreachable_variants().values()))):
        assert_unavailable_page(*serve(handler, cookie=signed_in_cookie))
    assert serve(handler, cookie=signed_in_cookie)[0] in {200, 302}


def test_database_down_raised_in_a_view_is_a_503_without_details(db, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = Client().get("/test-errors/database-gone/")
    assert_unavailable_page(response.status_code, response.headers, response.content.decode())


def test_database_down_raised_by_the_driver_itself_is_a_503(db, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = Client().get("/test-errors/driver-connection-lost/")
    assert_unavailable_page(response.status_code, response.headers, response.content.decode())


def test_database_down_other_database_errors_stay_500(db, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = Client(raise_request_exception=False).get("/test-errors/sql/")
    assert response.status_code == 500


@pytest.mark.skipif(not POSTGRES, reason="terminating a server backend is PostgreSQL's")
def test_database_down_kept_connection_killed_by_the_server(transactional_db):
    # A deployment keeps connections between requests (DB_CONN_MAX_AGE); when the server
    # drops one (a restart, a failover), at most one request may see it.
    connection.close()
    saved_max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        handler = WSGIHandler()
        assert serve(handler)[0] == 200
        assert connection.connection is not None, "the connection should have been kept"
        backend_pid = connection.connection.info.backend_pid
        killer = connection.copy()
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
                assert cursor.fetchone() == (True,)
        finally:
            killer.close()
        statuses = [serve(handler)[0] for _ in range(3)]
        assert statuses.count(503) <= 1
        assert statuses[1:] == [200, 200]
        assert connection.connection.info.backend_pid != backend_pid
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = saved_max_age
