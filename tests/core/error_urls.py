"""A URLconf for tests only: the platform's own patterns and error handlers, plus views
that fail on purpose. Never routed in production (tests select it with ROOT_URLCONF)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.db.utils import OperationalError
from django.http import Http404
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

SECRET = "secret-detail-4711"

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError(f"{SECRET} password=hunter2")


def bad_sql(request):
    # One parameter too many: a ProgrammingError on SQLite and PostgreSQL alike, raised
    # before the query reaches the server (which leaves the test's transaction usable).
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key AS secret_column FROM django_session WHERE session_key = %s", [SECRET, 1])
    raise AssertionError("unreachable")


def broken_context_processor(request):
    raise RuntimeError(SECRET)


def forbidden(request):
    raise PermissionDenied(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


def missing(request):
    raise Http404(SECRET)


def database_gone(request):
    raise OperationalError(f"could not connect to server: {SECRET}")


def driver_connection_lost(request):
    # What a server-side cursor's close raises, unwrapped by Django, when the server goes
    # away while a template iterates a queryset (met in `make faults`).
    import psycopg

    raise psycopg.OperationalError(f"consuming input failed: server closed the connection unexpectedly {SECRET}")


urlpatterns = [
    *urlpatterns,
    path("test-errors/boom/", boom),
    path("test-errors/sql/", bad_sql),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/missing/", missing),
    path("test-errors/database-gone/", database_gone),
    path("test-errors/driver-connection-lost/", driver_connection_lost),
]


class SessionReadingMiddleware:
    """Reads the session in the middle of the chain, as the session limits do: a database
    that is down fails here, outside any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 (loads the session and the user)
        return self.get_response(request)
