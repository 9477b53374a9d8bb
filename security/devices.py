"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a
browser that has signed in as a user before carries a signed cookie naming that user,
and the sign-in limits judge it on its own failures only (security.limits), so that
nobody guessing from elsewhere can lock its owner out.

The cookie holds, for each of up to MAX_ACCOUNTS user names signed in from this browser
(an office computer is shared), the user name, a random number for the browser and a
stamp of the user's password hash: a changed password ends every device cookie of that
user. The whole list is signed with the SECRET_KEY (django.core.signing) and is read
back only within LOGIN_DEVICE_COOKIE_DAYS.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import salted_hmac

COOKIE_NAME = "sfd_device"
SALT = "security.device"
MAX_ACCOUNTS = 10


def _max_age_seconds() -> int:
    return settings.LOGIN_DEVICE_COOKIE_DAYS * 24 * 60 * 60


def _stamp(user) -> str:
    return salted_hmac(SALT, user.password, algorithm="sha256").hexdigest()[:16]


def _entries(request) -> list[list[str]]:
    value = request.COOKIES.get(COOKIE_NAME, "") if request is not None else ""
    if not value:
        return []
    try:
        entries = signing.loads(value, salt=SALT, max_age=_max_age_seconds())
    except signing.BadSignature:  # forged, damaged or too old: an unknown browser
        return []
    if not isinstance(entries, list):
        return []
    return [
        entry
        for entry in entries
        if isinstance(entry, list) and len(entry) == 3 and all(isinstance(part, str) for part in entry)
    ]


def device_for(request, username: str) -> str:
    """The number of this browser for `username` when it carries a valid device cookie
    for that user (signed by us, not too old, issued since the last password change);
    "" for an unknown browser."""
    entry = next((entry for entry in _entries(request) if entry[0] == username), None)
    if entry is None:
        return ""
    user = get_user_model().objects.filter(username=username).only("password").first()
    if user is None or not secrets.compare_digest(entry[2], _stamp(user)):
        return ""
    return entry[1]


def remember_device(*, request, response, user) -> str:
    """Give this browser a new device cookie for `user` (after a sign-in that passed
    every factor), keeping those of other users; returns the browser's new number. A new
    number each time leaves the failures of the old one behind."""
    username = user.get_username()
    number = secrets.token_hex(8)
    entries = [entry for entry in _entries(request) if entry[0] != username]
    entries.insert(0, [username, number, _stamp(user)])
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(entries[:MAX_ACCOUNTS], salt=SALT, compress=True),
        max_age=_max_age_seconds(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return number
