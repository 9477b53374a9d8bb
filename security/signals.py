"""Signed-in sessions are noted from Django's auth signals, which every sign-in path sends."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from security import services


@receiver(user_logged_in)
def note_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.start_session(request=request, user=user)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.forget_session(session_key=request.session.session_key)
