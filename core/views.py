from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from core.access import public
from core.health import readiness_failures


@public
@require_POST
def text_size(request):
    """Toggle large text for older readers; remembered in a cookie for a year."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    large = request.COOKIES.get("text_size") != "large"
    response.set_cookie(
        "text_size", "large" if large else "normal", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure()
    )
    return response


@public
def set_language(request):
    """Django's language switch; a signed-in person's choice is also kept on its account,
    so that what the platform writes to it later (notifications, e-mails) is in that
    language. Not audited: a person's own display preference, like its read marks."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response


@public
def healthz(request):
    """For the proxy's health check: answers without touching sessions."""
    return HttpResponse("ok", content_type="text/plain")


@public
@never_cache
def readyz(request):
    """For the load balancer and monitoring: 200 when the database, the cache and the job
    queue all answer, else 503 naming the ones that did not (nothing more: the address is
    public). Touches no session and no CSRF cookie, writes no audit row."""
    failed = readiness_failures()
    if failed:
        return HttpResponse(f"not ready: {', '.join(failed)}", content_type="text/plain", status=503)
    return HttpResponse("ready", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A stale form (an expired session, an old tab) explained, not a bare 403; audited
    like every other denial."""
    from core.errors import record_denial

    record_denial(request, reason="csrf")
    return render(request, "403_csrf.html", status=403)
