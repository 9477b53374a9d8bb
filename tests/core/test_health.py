"""/healthz says the process is alive; /readyz says whether the database, the cache and
the job queue answer (issue 8, control 1), for the load balancer and monitoring. Neither
touches the session or the CSRF cookie, writes an audit row or is held by the sign-in
rules."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from audit.models import AuditRecord
from core.roles import Role
from organisations.models import Kind
from tests.core.test_database_down import database_unreachable, unreachable_variants
from tests.factories import make_organisation, make_user

CLOSED_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


class BrokenCache(LocMemCache):
    """A cache whose reads and writes fail, as a Redis that refuses commands does."""

    def set(self, *args, **kwargs):
        raise ConnectionError("cache down")

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")


def test_readyz_ready_when_everything_answers(db):
    before = AuditRecord.objects.count()
    response = Client().get("/readyz")
    assert (response.status_code, response.content) == (200, b"ready")
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # neither a session nor a CSRF cookie
    assert AuditRecord.objects.count() == before


def test_readyz_query_count_is_two(db, django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(2):  # SELECT 1, and one look at the queue's table
        assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("caches", [CLOSED_REDIS, {"default": {"BACKEND": "tests.core.test_health.BrokenCache"}}])
def test_readyz_503_when_the_cache_fails(db, settings, caches):
    settings.CACHES = caches
    response = Client().get("/readyz")
    assert (response.status_code, response.content) == (503, b"not ready: cache")
    assert not response.cookies


def test_readyz_503_when_the_database_fails(transactional_db):
    client = Client()
    with database_unreachable(next(iter(unreachable_variants().values()))):
        response = client.get("/readyz")
    # The job queue is a table of the same database: it cannot answer either.
    assert (response.status_code, response.content) == (503, b"not ready: database, queue")
    for leak in (b"Traceback", b"Error", b"5432", b"sqlite"):
        assert leak not in response.content
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_not_held_by_a_password_change(db, path):
    province = make_organisation(name="河北省", kind=Kind.PROVINCE)
    city = make_organisation(name="石家庄市", kind=Kind.CITY, parent=province)
    unit = make_organisation(name="石家庄第一中学", parent=city)
    client = Client()
    client.force_login(make_user(role=Role.UNIT, organisation=unit, must_change_password=True))
    assert client.get(path).status_code == 200


@pytest.mark.real_second_factor
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_not_held_by_the_second_factor(db, path):
    province = make_organisation(name="河北省", kind=Kind.PROVINCE)
    client = Client()
    client.force_login(make_user(role=Role.SYSTEM_ADMIN, organisation=province))
    assert client.get(path).status_code == 200
