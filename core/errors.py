"""Error pages rendered with the platform's layout (the 500 page uses none: it must not fail)."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError
from django.http import HttpResponseBadRequest
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)


def record_denial(request, *, reason: str = "") -> None:
    """One audit record "access.denied" for a request answered 403, whoever sent it.

    Every PermissionDenied, whether raised by core.access's declarations or by a service,
    ends in permission_denied below, and the CSRF failure view calls this too: one
    denial, one record. A database that cannot take it must not turn the 403 into a 500."""
    from audit.models import AuditRecord
    from audit.services import record_event

    user = getattr(request, "user", None)
    details = {"path": request.path[:500], "method": request.method}
    if reason:
        details["reason"] = reason
    try:
        record_event(actor=user, action="access.denied", result=AuditRecord.Result.DENIED, details=details)
    except DatabaseError:
        logger.exception("could not record the denial of %s %s", request.method, request.path)


def bad_request(request, exception):
    """The 400 page; a form that sent more than the platform takes in one go (text beyond
    DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields or files) is told so. The exception's
    own text is never shown."""
    context = {}
    if isinstance(exception, RequestDataTooBig):
        context["message"] = _(
            "The form sent more text than the platform accepts in one go (at most %(size)s). "
            "Shorten it and send it again."
        ) % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        context["message"] = _("The form sent too many fields or files at once. Send fewer at a time.")
    return HttpResponseBadRequest(loader.render_to_string("400.html", context, request))


def permission_denied(request, exception):
    record_denial(request)
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    return defaults.server_error(request, template_name="500.html")
