"""The bell in the top bar: the unread count of the signed-in user on every page."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from tests.notifications.factories import make_notification

BELL = re.compile(r'<a [^>]*data-testid="notification-bell"[^>]*>')


def bell_count(html: str) -> int:
    (tag,) = BELL.findall(html)
    return int(re.search(r'data-unread-count="(\d+)"', tag).group(1))


def test_bell_shows_the_unread_count_on_every_page(world, client_for):
    for _ in range(3):
        make_notification(recipient=world.sjz_operator)
    make_notification(recipient=world.ts_operator)
    read = make_notification(recipient=world.sjz_operator)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client = client_for(world.sjz_operator)
    for url in [reverse("home:index"), reverse("notices:list"), reverse("notifications:list")]:
        html = client.get(url).content.decode()
        assert bell_count(html) == 3
        assert '<span class="badge rounded-pill text-bg-danger" data-testid="notification-count">3</span>' in html


def test_bell_links_to_the_list_without_javascript(world, client_for):
    html = client_for(world.sjz_operator).get(reverse("home:index")).content.decode()
    (tag,) = BELL.findall(html)
    assert f'href="{reverse("notifications:list")}"' in tag
    assert 'hx-trigger="every 60s"' in tag


def test_bell_without_unread_has_no_badge(world, client_for):
    html = client_for(world.sjz_operator).get(reverse("home:index")).content.decode()
    assert bell_count(html) == 0
    assert 'data-testid="notification-count"' not in html


def test_bell_is_absent_without_login(client, db):
    assert BELL.findall(client.get(reverse("accounts:login")).content.decode()) == []


def test_bell_costs_one_count_query(world, client_for):
    make_notification(recipient=world.sjz_operator)
    client = client_for(world.sjz_operator)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home:index"))
    counts = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
    assert counts[0].startswith("SELECT COUNT(*)")


def test_bell_fragment_refreshes_the_count(world, client_for):
    client = client_for(world.sjz_operator)
    make_notification(recipient=world.sjz_operator)
    response = client.get(reverse("notifications:bell"), headers={"hx-request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert bell_count(html) == 1
    assert "<html" not in html
    assert "no-store" in response["Cache-Control"]


def test_bell_fragment_stops_polling_after_sign_out(client, db):
    response = client.get(reverse("notifications:bell"), headers={"hx-request": "true"})
    assert (response.status_code, response.content) == (286, b"")


def test_bell_keeps_the_top_bar_test_ids(world, client_for):
    html = client_for(world.sjz_operator).get(reverse("home:index")).content.decode()
    assert all(f'data-testid="{name}"' in html for name in ["user-menu", "logout", "main-menu", "notification-bell"])
