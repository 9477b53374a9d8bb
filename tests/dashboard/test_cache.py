"""The figures are cached for at most a minute."""

import re
import time

from django.core.cache.backends import locmem
from django.urls import reverse

from dashboard.selectors import cache_seconds
from tests.applications import factories as application_factories
from tests.dashboard.test_figures import charts


def applied(client):
    return charts(client)["funnel"].rows[2][1][0]


def test_cache_serves_the_same_figures_within_the_minute(world, client_for):
    client = client_for(world.province_staff)
    assert applied(client) == 0
    application_factories.submitted(world)
    assert applied(client) == 0


def test_cache_expires_after_a_minute(world, client_for, monkeypatch):
    # The tests' cache is the local-memory one; its clock is the boundary moved here.
    client = client_for(world.province_staff)
    assert applied(client) == 0
    application_factories.submitted(world)
    now = time.time()
    monkeypatch.setattr(locmem.time, "time", lambda: now + 61)
    assert applied(client) == 1


def test_cache_timeout_is_never_longer_than_a_minute(settings):
    assert cache_seconds() == 60
    settings.DASHBOARD_CACHE_SECONDS = 3600
    assert cache_seconds() == 60
    settings.DASHBOARD_CACHE_SECONDS = 5
    assert cache_seconds() == 5


def _page_applied(client) -> str:
    # The third row of the funnel's table, as the rendered page shows it.
    html = client.get(reverse("dashboard:home")).content.decode()
    table = html[html.index('data-testid="table-funnel"') :]
    return re.findall(r'data-value="([^"]*)"', table)[2]


def test_rendered_charts_never_outlive_their_figures(world, client_for, monkeypatch):
    client = client_for(world.province_staff)
    assert _page_applied(client) == "0"
    application_factories.submitted(world)
    assert _page_applied(client) == "0"
    now = time.time()
    monkeypatch.setattr(locmem.time, "time", lambda: now + 61)
    assert _page_applied(client) == "1"


def test_rendered_charts_are_kept_per_language(world, client_for, settings):
    client = client_for(world.province_staff)
    assert "From plan to named" not in client.get(reverse("dashboard:home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "From plan to named" in client.get(reverse("dashboard:home")).content.decode()
