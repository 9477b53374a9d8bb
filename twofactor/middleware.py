from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from twofactor import services

# What a signed-in session may reach before its second factor is done: the two steps
# themselves, signing out, the language switch and the health check. Nothing else —
# not even the account's own two-factor settings, which need a verified session.
ALLOWED_BEFORE_VERIFICATION = frozenset(
    {"twofactor:verify", "twofactor:enrol", "accounts:logout", "set_language", "core:healthz", "core:readyz"}
)


class SecondFactorRequiredMiddleware:
    """Holds a signed-in but unverified session at the second step of signing in: the
    verification page for users with an authenticator app, the enrolment page for users
    who must have one (TWO_FACTOR_REQUIRED_ROLES, or reset by the security
    administrator). Users of other roles without an app are not held.

    Placed after AuthenticationMiddleware and before the password-change rule, so that
    a session proves both factors before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not services.is_verified(request) and not self._allowed(request):
            step = services.pending_step(request.user)
            if step is not None:
                return self._send_to(request, "twofactor:verify" if step == services.VERIFY else "twofactor:enrol")
        return self.get_response(request)

    @staticmethod
    def _allowed(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in ALLOWED_BEFORE_VERIFICATION

    @staticmethod
    def _send_to(request, url_name):
        url = reverse(url_name)
        # A page asked for is come back to afterwards; a form sent is not replayed.
        if request.method == "GET" and not request.headers.get("HX-Request"):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
