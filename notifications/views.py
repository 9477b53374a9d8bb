from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.access import public, signed_in
from core.pagination import paginate
from notifications import selectors, services
from notifications.models import Notification

# htmx stops polling on this status: the bell of a page whose session has ended goes quiet
# instead of swapping the login page (where a redirect would lead) into the top bar.
HTMX_STOP_POLLING = 286


@signed_in
def notification_list(request):
    """The signed-in user's notifications, newest first, unread ones highlighted;
    ?show=unread keeps only those."""
    only_unread = request.GET.get("show") == "unread"
    page = paginate(request, selectors.notifications_for(request.user, only_unread=only_unread))
    return render(request, "notifications/notification_list.html", {"page_obj": page, "only_unread": only_unread})


@signed_in
@require_http_methods(["GET", "POST"])
def notification_open(request, pk):
    """GET: the notification on a page of its own, with a button that opens it; nothing
    changes (a link from another site, an <img> pointing here, a prefetch mark nothing
    read). POST: mark it read and go where it points (the list when it points nowhere);
    an htmx POST (the list's links) is told where by HX-Redirect. Another user's
    notification answers 404."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user).select_related("actor"), pk=pk)
    if request.method != "POST":
        return render(request, "notifications/notification_detail.html", {"notification": notification})
    services.mark_read(user=request.user, notification=notification)
    target = notification.target_url or reverse("notifications:list")
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@signed_in
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)s notification was marked as read.", "%(count)s notifications were marked as read.", count)
        % {"count": count},
    )
    return redirect("notifications:list")


@public
@never_cache
def bell(request):
    """The top bar's bell alone, for htmx to refresh its unread count every minute.
    Public so that a page left open after sign-out stops polling (see HTMX_STOP_POLLING)
    rather than being sent to the login page; it shows nothing without login."""
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    return render(request, "notifications/includes/bell.html")
