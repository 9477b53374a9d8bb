import ipaddress
import logging
import sqlite3
import sys
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def client_ip(request) -> str:
    """The client's address. Behind the proxies of DESIGN.md §5 it is the hop of
    X-Forwarded-For that our outermost proxy appended (PROXY_HOPS from the end): hops
    before it come from the client and could be forged to dodge the sign-in lock of an
    address. The header is read only when the deployment says a proxy sets it, and a
    value that is no address is ignored."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        count = max(1, settings.PROXY_HOPS)
        if len(hops) >= count and _is_address(hops[-count]):
            return hops[-count]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else ""


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class RequestContextMiddleware:
    """Makes the client's address known to the audit log without passing requests to services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ContentSecurityPolicyMiddleware:
    """No inline script or style anywhere: every page gets the same strict policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user: their
    pages show personal data and scoped figures that neither a shared proxy nor the
    browser's disk may keep. Public pages for visitors keep the default caching.

    "Signed in" is read from the session cookie, not from request.user, so that this
    costs no query: a request that carries the cookie (or a response that sets it, at
    sign-in) is private."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cookie = settings.SESSION_COOKIE_NAME
        if cookie in request.COOKIES or cookie in response.cookies:
            patch_cache_control(response, private=True, no_store=True)
        return response


try:
    import psycopg

    # Django wraps the driver's errors, except where the driver raises outside a cursor's
    # execute: closing a server-side cursor (a template iterating a big queryset) on a
    # connection the server has just dropped raises psycopg's own OperationalError.
    DRIVER_DOWN = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # SQLite only
    DRIVER_DOWN = ()
DATABASE_DOWN = (OperationalError, InterfaceError, *DRIVER_DOWN)
RETRY_AFTER_SECONDS = 30


# SQLite (local only: production refuses it) calls a missing table an OperationalError
# too; only these mean that the file cannot be used.
SQLITE_DOWN_MESSAGES = ("unable to open database file", "database is locked", "disk i/o error")


def is_database_down(exception: BaseException | None) -> bool:
    """Is `exception`, or one it was raised from, the database refusing or losing the
    connection? (Django wraps the driver's errors in these two classes.)"""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_DOWN):
            cause = exception.__cause__
            if isinstance(cause, sqlite3.Error):
                return str(cause).lower().startswith(SQLITE_DOWN_MESSAGES)
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


@receiver(got_request_exception, dispatch_uid="core.middleware.mark_database_down")
def _mark_database_down(sender, request=None, **kwargs):
    # An error raised by a middleware (the session loaded by the user's middleware, a
    # session saved on the way out) never reaches process_exception: Django turns it into
    # a 500 response on the spot, and only this signal, sent while the error is being
    # handled, sees it. The mark lets DatabaseUnavailableMiddleware answer 503 instead.
    if request is not None and is_database_down(sys.exc_info()[1]):
        request.database_down = True


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers a 503 page (templates/503.html, with
    Retry-After), never a 500 or a stack trace; it sits before the sessions so that a
    session that cannot be loaded or saved is caught too.

    Recovery needs nothing from here: Django closes a connection that raised at the end
    of the request, and conn_health_checks tests a kept connection before its first use,
    so the first request after the database is back gets a new connection."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_down", False) and response.status_code >= 500:
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if not is_database_down(exception):
            return None
        logger.error("Database unavailable while handling %s", request.path, exc_info=exception)
        return database_unavailable_response()


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without a request: no context processor, no session and no
    query may run while the database is away."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["X-Frame-Options"] = "DENY"
    return response
