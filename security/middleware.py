"""Session limits and the forced password change, applied to every request.

Both run before MessageMiddleware, so they cannot leave a flash message: the page they
send the user to says why (the sign-in page reads ?reason=, the password page asks the
same predicate as here).
"""

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from audit.services import record_event
from security import services
from security.selectors import password_change_reason

IDLE = "idle"
EXPIRED = "expired"


def _redirect(request, url: str):
    # htmx would swap the sign-in page into a fragment: it is told to load the page itself.
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _epoch(value, default: datetime) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return default


class SessionLimitsMiddleware:
    """Ends a signed-in session idle longer than settings.SESSION_IDLE_SECONDS, or older
    than settings.SESSION_COOKIE_AGE counted from sign-in whatever the activity, and
    notes activity (at most once a minute) for the security administrator's list."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            session = request.session
            signed_in = _epoch(session.get(services.SIGNED_IN_AT), now)
            last_seen = _epoch(session.get(services.LAST_SEEN), now)
            reason = None
            if (now - signed_in).total_seconds() > settings.SESSION_COOKIE_AGE:
                reason = EXPIRED
            elif (now - last_seen).total_seconds() > settings.SESSION_IDLE_SECONDS:
                reason = IDLE
            if reason:
                record_event(actor=user, action="auth.session_timeout", obj=user, reason=reason)
                logout(request)
                query = urlencode({"reason": reason, "next": request.get_full_path()})
                return _redirect(request, f"{reverse('accounts:login')}?{query}")
            if services.SIGNED_IN_AT not in session:
                session[services.SIGNED_IN_AT] = int(now.timestamp())
            if services.LAST_SEEN not in session or (now - last_seen).total_seconds() >= services.TOUCH_EVERY_SECONDS:
                services.touch_session(request=request, user=user, now=now)
        return self.get_response(request)


# What a user who must change its password may still open: the change itself, signing
# out, the language switch, the health check, and the second-factor pages (whose own
# middleware runs first and would otherwise send the user back and forth).
EXEMPT_VIEWS = frozenset(
    {
        "accounts:password-change",
        "accounts:password-change-done",
        "accounts:logout",
        "set_language",
        "core:healthz",
        "core:readyz",
    }
)
EXEMPT_NAMESPACES = frozenset({"twofactor"})


def _exempt(request) -> bool:
    if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in EXEMPT_VIEWS or not EXEMPT_NAMESPACES.isdisjoint(match.namespaces)


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in user whose password must change (set by someone else, or too
    old: security.selectors.password_change_reason) to the password page first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and password_change_reason(user) and not _exempt(request):
            return _redirect(request, reverse("accounts:password-change"))
        return self.get_response(request)
