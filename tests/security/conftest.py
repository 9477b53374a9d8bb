import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counts live in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()
