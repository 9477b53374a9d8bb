"""Counting requests per key in the cache, for limits on sign-in, password resets and uploads.

The cache is Redis in production, shared by every app server, so a limit holds across
them; locally it is the process's memory, which is enough for one runserver.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UPLOAD_SCOPE = "upload"


def hit(scope: str, key: str, *, limit: int, window_seconds: int, cost: int = 1) -> bool:
    """Count `cost` requests of `key` in `scope`; False once more than `limit` fell in
    the current window of `window_seconds` (the window starts at the first request)."""
    name = f"ratelimit:{scope}:{key}"
    if cache.add(name, cost, timeout=window_seconds):
        return cost <= limit
    try:
        count = cache.incr(name, cost)
    except ValueError:  # expired between add() and incr()
        cache.add(name, cost, timeout=window_seconds)
        return cost <= limit
    return count <= limit


def reset(scope: str, key: str) -> None:
    cache.delete(f"ratelimit:{scope}:{key}")


def allow_upload(request, form, field: str) -> bool:
    """Count the files `form` received in `field` against the signed-in user's allowance
    (settings.UPLOAD_RATE_LIMIT files per UPLOAD_RATE_WINDOW_SECONDS, over every form of
    the platform that takes files); True when they are within it.

    Past the allowance the form gets a message by `field` and False comes back: the view
    renders the form again as for any other error, with everything typed kept and no file
    stored. Call it before form.is_valid() (`allow_upload(...) and form.is_valid()`), so
    that every attempt counts, a refused one included."""
    files = _files_in(form, field)
    if not files:
        return True
    if hit(
        UPLOAD_SCOPE,
        f"user:{request.user.pk}",
        limit=settings.UPLOAD_RATE_LIMIT,
        window_seconds=settings.UPLOAD_RATE_WINDOW_SECONDS,
        cost=len(files),
    ):
        return True
    minutes = max(1, settings.UPLOAD_RATE_WINDOW_SECONDS // 60)
    form.add_error(
        field,
        ValidationError(
            _(
                "You have uploaded more than %(limit)s files within %(minutes)s minutes. Please wait a few "
                "minutes and choose the file again; what you typed in the form is kept."
            ),
            code="upload_rate_limited",
            params={"limit": settings.UPLOAD_RATE_LIMIT, "minutes": minutes},
        ),
    )
    return False


def _files_in(form, field: str) -> list:
    if not form.is_bound or not form.files:
        return []
    name = form.add_prefix(field)
    if hasattr(form.files, "getlist"):
        return [file for file in form.files.getlist(name) if file]
    value = form.files.get(name)  # a plain dict, as tests and scripts pass
    return [file for file in (value if isinstance(value, list | tuple) else [value]) if file]
