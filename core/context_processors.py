from functools import partial

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.navigation import grouped, menu_for
from notifications.selectors import unread_count


def platform(request):
    user = getattr(request, "user", None)
    if user is None:
        return {"platform_title": settings.PLATFORM_TITLE}
    return {
        "platform_title": settings.PLATFORM_TITLE,
        "main_menu": grouped(menu_for(user, request.path)),
        # Lazy: one COUNT when a page shows the bell, none for a fragment that does not.
        "unread_notifications": SimpleLazyObject(partial(unread_count, user)),
    }
