"""Counting requests per key in the cache, for limits on sign-in, password resets and uploads.

The cache is Redis in production, shared by every app server, so a limit holds across
them; locally it is the process's memory, which is enough for one runserver.
"""

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of `key` in `scope`; False once more than `limit` fell in the
    current window of `window_seconds` (the window starts at the first request)."""
    name = f"ratelimit:{scope}:{key}"
    if cache.add(name, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.add(name, 1, timeout=window_seconds)
        return True
    return count <= limit


def reset(scope: str, key: str) -> None:
    cache.delete(f"ratelimit:{scope}:{key}")
