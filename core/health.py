"""Readiness: do the services an application server needs answer? (/readyz)

Each probe is the cheapest thing that proves its service works: one trivial query, one
key written and read back, one indexed look at the job queue's table. How long a probe
may wait is bounded by the connections' own timeouts (DB_CONNECT_TIMEOUT for
PostgreSQL, REDIS_TIMEOUT_SECONDS for Redis: config/settings.py), so that a service that
hangs makes /readyz answer 503 rather than hang with it.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers() -> bool:
    # A key of its own for each probe: two servers probing at once must not see each
    # other's value.
    key = f"readyz:{secrets.token_hex(8)}"
    cache.set(key, "1", timeout=10)
    try:
        return cache.get(key) == "1"
    finally:
        cache.delete(key)


def queue_answers() -> bool:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exists()
    return True


PROBES = (("database", database_answers), ("cache", cache_answers), ("queue", queue_answers))


def readiness_failures() -> list[str]:
    """The names of the services that did not answer, in the order of PROBES."""
    failed = []
    for name, probe in PROBES:
        try:
            answered = probe()
        except Exception:  # any failure of a service means "not ready", whatever it raised
            logger.warning("Readiness probe %s failed", name, exc_info=True)
            answered = False
        if not answered:
            failed.append(name)
    return failed
