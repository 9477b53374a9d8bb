"""The one way to see a personal number whole: a POST that answers the number in a
fragment (htmx) or a small page (without JavaScript), never cached, audited each time."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from audit.services import record_event
from core import pii
from core.access import signed_in


@signed_in
@require_POST
def unmask(request, key, pk):
    """404 for an unknown field or an object outside the user's scope (the model's
    visible_to), 403 for an object in scope whose number the role may not see whole;
    otherwise one audit row "pii.unmask" naming the field and the object."""
    number = pii.BY_KEY.get(key)
    if number is None:
        raise Http404
    obj = get_object_or_404(number.get_model().objects.visible_to(request.user), pk=pk)
    if not pii.can_unmask(request.user, obj, number.field):
        raise PermissionDenied
    with transaction.atomic():
        record_event(actor=request.user, action="pii.unmask", obj=obj, details={"field": number.field})
    referrer = request.headers.get("referer", "")
    safe = url_has_allowed_host_and_scheme(
        referrer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {
        "obj": obj,
        "number": number,
        "value": getattr(obj, number.field),
        "testid": key,
        "back": referrer if referrer and safe else "/",
    }
    template = "core/personal_number.html#revealed" if request.htmx else "core/personal_number.html"
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response
