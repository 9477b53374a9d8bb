"""The workspace's figures are counted at most once a minute per subtree (issue 8), and
one association's figures are never served to another."""

import time

from django.core.cache import cache
from django.core.cache.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.selectors import current_campaign
from reports import selectors
from tests.factories import make_organisation
from tests.notifications.factories import forget_bell_counts
from tests.reports.test_workspace import SJZ_FIGURES


def _figures(client, url=None):
    response = client.get(url or reverse("reports:workspace"))
    assert response.status_code == 200
    return response.context["statistics"]


def test_workspace_figures_of_two_cities_stay_apart_in_the_cache(world, area, client_for):
    sjz = _figures(client_for(world.sjz_association))
    ts = _figures(client_for(world.ts_association))
    assert sjz == SJZ_FIGURES
    assert (ts["units"], ts["with_plan"], ts["not_started"], ts["overdue_steps"]) == (2, 1, 1, 1)
    assert ts["applications_total"] == 0
    # Asked again, both from the cache: still each its own.
    assert _figures(client_for(world.sjz_association)) == SJZ_FIGURES
    assert _figures(client_for(world.ts_association)) == ts


def test_province_reads_the_association_figures_of_that_association(world, area, client_for):
    province = client_for(world.province_staff)
    tangshan = _figures(province, reverse("reports:workspace-of", args=[world.tangshan.pk]))
    assert tangshan["units"] == 2
    assert _figures(province, reverse("reports:workspace-of", args=[world.shijiazhuang.pk])) == SJZ_FIGURES
    assert _figures(client_for(world.sjz_association)) == SJZ_FIGURES


def test_workspace_figures_are_served_from_the_cache_within_the_minute(world, area, client_for):
    client = client_for(world.sjz_association)
    assert _figures(client)["units"] == 6
    make_organisation(name="石家庄新增单位", parent=world.changan)
    assert _figures(client)["units"] == 6


def test_workspace_figures_show_a_change_once_the_minute_is_over(world, area, client_for, monkeypatch):
    # The tests' cache is the local-memory one; its clock is the boundary moved here.
    client = client_for(world.sjz_association)
    assert _figures(client)["units"] == 6
    make_organisation(name="石家庄新增单位", parent=world.changan)
    now = time.time()
    monkeypatch.setattr(locmem.time, "time", lambda: now + 61)
    assert _figures(client)["units"] == 7


def test_second_workspace_request_within_the_minute_counts_nothing(world, area, client_for):
    client = client_for(world.sjz_association)
    client.get(reverse("reports:workspace"))
    campaign = current_campaign()
    with CaptureQueriesContext(connection) as counting:
        selectors.subtree_statistics(path=world.shijiazhuang.path, campaign=campaign, today=timezone.localdate())
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("reports:workspace"))
    forget_bell_counts()
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("reports:workspace"))
    assert response.context["statistics"] == SJZ_FIGURES
    assert len(second) == len(first) - len(counting)
    counted_tables = ("plans_plan", "applications_application", "designations_designation")
    assert [query["sql"] for query in second if any(table in query["sql"] for table in counted_tables)] == []


def test_workspace_says_how_old_its_figures_may_be(world, area, client_for):
    response = client_for(world.sjz_association).get(reverse("reports:workspace"))
    assert 'data-testid="figures-age"' in response.content.decode()


def test_workspace_cache_is_never_longer_than_a_minute(settings):
    assert selectors.cache_seconds() == 60
    settings.WORKSPACE_CACHE_SECONDS = 3600
    assert selectors.cache_seconds() == 60
    settings.WORKSPACE_CACHE_SECONDS = 5
    assert selectors.cache_seconds() == 5
