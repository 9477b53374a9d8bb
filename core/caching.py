"""Figures kept in the cache for a short while and counted by one process at a time.

The dashboard's figures take seconds to count on a province's data (about 3 s for the
provincial office on 100,000 units) and are cached for a minute. When they expire while
several people read the page, every application server worker that gets one of those
requests would count the same figures at once: four workers on two cores each take four
times as long, and every other page waits behind them (a "cache stampede"). Here the
first process to find the value missing takes a lock in the cache and counts; the others
wait for its answer instead of counting too, and count themselves only when it does not
come (the counting process died or took longer than WAIT_SECONDS).

Every value the platform keeps in the cache for a while goes through here (the dashboard,
the workspace, the visitors' public pages, the bell's count): the lock costs two more cache
round trips on a miss only.
"""

import time

from django.core.cache import cache

# A counting process holds the lock at most this long: if it dies, another counts after it.
LOCK_SECONDS = 60
# How long a reader waits for another process's count before counting itself.
WAIT_SECONDS = 30
POLL_SECONDS = 0.05


def get_or_compute_once(key: str, compute, timeout: int):
    """The cached value of `key`; when it is missing, compute() by one process at a time,
    kept for `timeout` seconds. Values must not be None (None means missing)."""
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:computing"
    locked = cache.add(lock, 1, LOCK_SECONDS)
    if not locked:
        value = _wait_for(key, lock)
        if value is not None:
            return value
        locked = cache.add(lock, 1, LOCK_SECONDS)
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        if locked:
            cache.delete(lock)
    return value


def _wait_for(key: str, lock: str):
    """The value another process is computing, once it is there; None when that process
    gave up (the lock is gone without a value) or WAIT_SECONDS passed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(lock) is None:
            return None
    return None
