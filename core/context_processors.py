from django.conf import settings

from core.navigation import menu_for


def platform(request):
    user = getattr(request, "user", None)
    if user is None:
        return {"platform_title": settings.PLATFORM_TITLE}
    return {"platform_title": settings.PLATFORM_TITLE, "main_menu": menu_for(user, request.path)}
