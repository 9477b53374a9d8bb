"""Figures cached for a minute are counted by one process at a time (core.caching): the
others wait for its answer instead of counting the same again (issue 8)."""

import pytest
from django.core.cache import cache

from core import caching

KEY = "test:figures"
LOCK = f"{KEY}:computing"


class Counter:
    def __init__(self, value="counted"):
        self.calls, self.value = 0, value

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _while_waiting(monkeypatch, action):
    """Run `action` at the first poll of a waiting reader, as another process would."""
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: action())


def test_a_missing_value_is_counted_once_and_kept():
    compute = Counter()
    assert caching.get_or_compute_once(KEY, compute, 60) == "counted"
    assert caching.get_or_compute_once(KEY, compute, 60) == "counted"
    assert compute.calls == 1
    assert cache.get(LOCK) is None


def test_a_reader_waits_for_the_process_counting_and_counts_nothing(monkeypatch):
    cache.add(LOCK, 1)
    _while_waiting(monkeypatch, lambda: cache.set(KEY, "theirs", 60))
    compute = Counter("mine")
    assert caching.get_or_compute_once(KEY, compute, 60) == "theirs"
    assert compute.calls == 0


def test_a_reader_counts_itself_when_the_counting_process_gave_up(monkeypatch):
    cache.add(LOCK, 1)
    _while_waiting(monkeypatch, lambda: cache.delete(LOCK))
    compute = Counter("mine")
    assert caching.get_or_compute_once(KEY, compute, 60) == "mine"
    assert (compute.calls, cache.get(KEY), cache.get(LOCK)) == (1, "mine", None)


def test_a_reader_counts_itself_after_waiting_too_long(monkeypatch):
    cache.add(LOCK, 1)
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0)
    compute = Counter("mine")
    assert caching.get_or_compute_once(KEY, compute, 60) == "mine"
    # The lock was not this reader's: the other process still holds it.
    assert cache.get(LOCK) == 1


def test_a_count_that_fails_frees_the_lock_for_the_next_reader():
    def failing():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        caching.get_or_compute_once(KEY, failing, 60)
    assert cache.get(LOCK) is None
    assert caching.get_or_compute_once(KEY, Counter(), 60) == "counted"
