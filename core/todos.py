"""Each signed-in person's to-do list (待办, DESIGN.md §2): what waits for this person,
overdue first, then oldest first, each item a link to where it is done.

The platform layer owns the list and its order; each app says what waits in its own
`todos.py`, registered with `@provides(role, ...)` and found at start-up (the same
autodiscovery as the Django admin's `admin.py`), so that core imports no app above it.
A provider answers a few items from a handful of counting queries: the home page's
query count does not grow with the data (tests/core/test_todos_*.py hold it so).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Min
from django.utils import timezone


@dataclass(frozen=True)
class Todo:
    key: str  # stable, for the page's data-todo and the tests
    text: str  # what to do, in the reader's language
    url: str  # where it is done
    count: int | None = None  # how many things wait, for an item that stands for several
    since: date | None = None  # what waits since (or when it is due): the list's order
    detail: str = ""  # what the person needs at a glance: date and place, the reviewers' words
    overdue: bool = False  # past its deadline or time limit: shown first, marked
    waiting: bool = False  # nothing to do but know it (the application is with the office)


Provider = Callable[..., Iterable[Todo]]
_providers: list[tuple[frozenset[str], Provider]] = []


def provides(*roles: str) -> Callable[[Provider], Provider]:
    """Register `provider(user, today)` for the to-do lists of `roles`."""

    def register(provider: Provider) -> Provider:
        _providers.append((frozenset(roles), provider))
        return provider

    return register


def waiting_in(queryset, *, since: str, key: str, text: str, url: str, **options) -> Iterable[Todo]:
    """One item standing for the rows of `queryset` (counted, with the oldest `since`
    value as its day), or none when there are none: one query."""
    found = queryset.aggregate(n=Count("pk", distinct=True), since=Min(since))
    if found["n"]:
        yield Todo(key=key, text=text, url=url, count=found["n"], since=as_day(found["since"]), **options)


def as_day(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def todos_for(user, *, today: date | None = None) -> list[Todo]:
    """The to-do list of `user`: overdue first, then what asks for action before what only
    informs, each by the day it waits since (undated last, in the order of the campaign's
    steps: the apps' order in INSTALLED_APPS, which the sort keeps)."""
    today = today or timezone.localdate()
    items = [item for roles, provider in _providers if user.role in roles for item in provider(user, today)]
    return sorted(items, key=lambda item: (not item.overdue, item.waiting, item.since or date.max))
