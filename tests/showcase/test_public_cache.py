"""Visitors without login read the named sites and a site's page at most a minute old
(issue 8); signed-in readers always read them as they are."""

import time

from django.core.cache.backends import locmem
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.designations import factories as designation_factories
from tests.showcase import factories


def _site_count(client, **params):
    response = client.get(reverse("showcase:sites"), params)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def _later(monkeypatch, seconds):
    # The tests' cache is the local-memory one; its clock is the boundary moved here.
    now = time.time()
    monkeypatch.setattr(locmem.time, "time", lambda: now + seconds)


def test_site_list_is_a_minute_old_at_most_for_visitors(world, monkeypatch):
    factories.sjz_site(world)
    visitor = Client()
    assert _site_count(visitor) == 1
    designation_factories.named_elsewhere(world, "新命名的社区")
    assert _site_count(visitor) == 1
    _later(monkeypatch, 61)
    assert _site_count(visitor) == 2


def test_site_list_is_live_for_signed_in_readers_and_searches(world, client_for):
    factories.sjz_site(world)
    visitor, staff = Client(), client_for(world.province_staff)
    assert (_site_count(visitor), _site_count(staff), _site_count(visitor, q="社区")) == (1, 1, 0)
    designation_factories.named_elsewhere(world, "新命名的社区")
    assert (_site_count(visitor), _site_count(staff), _site_count(visitor, q="社区")) == (1, 2, 1)


def test_site_list_keeps_each_filter_apart(world):
    factories.sjz_site(world)
    factories.ts_site(world)
    visitor = Client()
    assert _site_count(visitor) == 2
    assert _site_count(visitor, area=world.tangshan.pk) == 1
    assert _site_count(visitor, area=world.shijiazhuang.pk) == 1
    assert _site_count(visitor, sector="school") == 1


def test_second_visit_of_the_public_pages_within_the_minute_asks_the_database_nothing(world):
    site = factories.sjz_site(world)
    factories.published(site, staff=world.province_staff, photos=1)
    visitor = Client()
    for url in (reverse("showcase:sites"), reverse("showcase:site", args=[site.pk])):
        assert visitor.get(url).status_code == 200
        with CaptureQueriesContext(connection) as second:
            response = visitor.get(url)
        assert response.status_code == 200
        assert len(second) == 0


def test_site_page_is_a_minute_old_at_most_for_visitors(world, client_for, monkeypatch):
    site = factories.sjz_site(world)
    url = reverse("showcase:site", args=[site.pk])
    visitor = Client()
    assert len(visitor.get(url).context["articles"]) == 0
    factories.published(site, staff=world.province_staff)
    assert len(visitor.get(url).context["articles"]) == 0
    assert len(client_for(world.province_staff).get(url).context["articles"]) == 1
    _later(monkeypatch, 61)
    assert len(visitor.get(url).context["articles"]) == 1


def test_revoking_a_site_takes_its_page_from_visitors_at_once(world, django_capture_on_commit_callbacks):
    site = factories.sjz_site(world)
    url = reverse("showcase:site", args=[site.pk])
    visitor = Client()
    assert (visitor.get(url).status_code, _site_count(visitor)) == (200, 1)
    with django_capture_on_commit_callbacks(execute=True):
        factories.revoke(world, site)
    assert (visitor.get(url).status_code, _site_count(visitor)) == (404, 0)


def test_naming_shows_the_new_site_to_visitors_at_once(world, django_capture_on_commit_callbacks):
    factories.sjz_site(world)
    visitor = Client()
    assert _site_count(visitor) == 1
    with django_capture_on_commit_callbacks(execute=True):
        designation_factories.named_elsewhere(world, "新命名的社区")
    assert _site_count(visitor) == 2


def test_second_visit_of_the_site_list_renders_no_row_again(world):
    factories.sjz_site(world)
    visitor = Client()
    first = visitor.get(reverse("showcase:sites"))
    second = visitor.get(reverse("showcase:sites"))
    row_template = "showcase/includes/site_item.html"
    assert row_template in [t.name for t in first.templates]
    assert row_template not in [t.name for t in second.templates]
    assert _site_list_html(first) == _site_list_html(second)


def _site_list_html(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="site-list"')
    return html[start : html.index("</ul>", start)]


def test_cached_site_list_keeps_each_language_apart(world):
    site = factories.sjz_site(world)
    visitor = Client()
    chinese = visitor.get(reverse("showcase:sites")).content.decode()
    english = visitor.get(reverse("showcase:sites"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    named_on = site.named_on.strftime("%Y-%m-%d")
    assert f"{named_on}命名" in chinese
    assert f"Named {named_on}" in english


def test_site_list_search_is_never_kept(world):
    factories.sjz_site(world)
    visitor = Client()
    visitor.get(reverse("showcase:sites"), {"q": "社区"})
    designation_factories.named_elsewhere(world, "新命名的社区")
    response = visitor.get(reverse("showcase:sites"), {"q": "社区"})
    assert "新命名的社区" in response.content.decode()
