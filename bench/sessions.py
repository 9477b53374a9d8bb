"""Signed-in sessions for the load scripts (bench/wrk.py, bench/soak_setup.py), written
straight into the session store: signing in through the form is throttled per address
and asks staff for a TOTP code, which a load generator cannot type hundreds of times.

Import it after django.setup(), with the env of the topology loaded (its SECRET_KEY,
DATABASE_URL and REDIS_URL: the sessions made here must be the ones the app servers read).
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.utils import timezone

from accounts.models import User
from security.models import UserSession
from security.services import LAST_SEEN, SIGNED_IN_AT
from twofactor.services import SESSION_KEY as VERIFIED_SESSION_KEY


def signed_in_session_key(user, *, user_agent: str = "wrk (make bench)") -> str:
    """A session of `user` written straight into the session store (cached_db: Redis and
    the database), holding what the middlewares ask for: Django's auth keys, the second
    factor done, and security's sign-in and last-seen times. The account's password is
    marked fresh, so that the forced password change does not redirect (bench data only).
    Returns the session key."""
    User.objects.filter(pk=user.pk).update(must_change_password=False, password_changed_at=timezone.now())
    user.refresh_from_db()
    now = int(timezone.now().timestamp())
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[AUTH_SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[VERIFIED_SESSION_KEY] = user.pk
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    session.save()
    UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        ip="127.0.0.1",
        user_agent=user_agent,
        signed_in_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    return session.session_key


def signed_in_cookie(user, *, user_agent: str = "wrk (make bench)") -> str:
    """The Cookie header of a new signed-in session of `user` (signed_in_session_key)."""
    return f"{settings.SESSION_COOKIE_NAME}={signed_in_session_key(user, user_agent=user_agent)}"
