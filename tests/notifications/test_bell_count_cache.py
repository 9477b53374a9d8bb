"""The bell's unread count is kept in the cache between pages (issue 8: one query less
on every signed-in page) and forgotten by every write that changes it, at once."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from notifications.selectors import unread_count, unread_key
from tests.notifications.factories import make_notification
from tests.notifications.test_bell import bell_count


def _notification_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    return html, [q["sql"] for q in captured if "notifications_notification" in q["sql"]]


def test_second_page_reads_the_count_from_the_cache(world, client_for):
    make_notification(recipient=world.sjz_operator)
    client = client_for(world.sjz_operator)
    _, first = _notification_queries(client, reverse("home:index"))
    html, second = _notification_queries(client, reverse("notices:list"))
    assert (len(first), second, bell_count(html)) == (1, [], 1)


def test_a_new_notification_shows_on_the_next_page(world, client_for):
    client = client_for(world.sjz_operator)
    assert bell_count(client.get(reverse("home:index")).content.decode()) == 0
    make_notification(recipient=world.sjz_operator)
    assert bell_count(client.get(reverse("home:index")).content.decode()) == 1


def test_opening_a_notification_lowers_the_count_at_once(world, client_for):
    first = make_notification(recipient=world.sjz_operator, url="/notices/")
    make_notification(recipient=world.sjz_operator)
    client = client_for(world.sjz_operator)
    assert bell_count(client.get(reverse("home:index")).content.decode()) == 2
    client.post(reverse("notifications:open", args=[first.pk]))
    assert bell_count(client.get(reverse("home:index")).content.decode()) == 1


def test_marking_all_read_empties_the_count_at_once(world, client_for):
    make_notification(recipient=world.sjz_operator)
    client = client_for(world.sjz_operator)
    assert bell_count(client.get(reverse("home:index")).content.decode()) == 1
    client.post(reverse("notifications:mark-all-read"))
    assert bell_count(client.get(reverse("home:index")).content.decode()) == 0


def test_a_row_saved_or_deleted_one_by_one_changes_the_count_at_once(world):
    notification = make_notification(recipient=world.sjz_operator)
    assert unread_count(world.sjz_operator) == 1
    notification.delete()
    assert unread_count(world.sjz_operator) == 0
    Notification.objects.create(recipient=world.sjz_operator, title="直接写入的通知")
    assert unread_count(world.sjz_operator) == 1


def test_a_count_read_before_the_commit_is_forgotten_after_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_notification(recipient=world.sjz_operator)
        # Another request counting before this transaction commits would keep the old count.
        cache.set(unread_key(world.sjz_operator.pk), 0)
    for callback in callbacks:
        callback()
    assert unread_count(world.sjz_operator) == 1


def test_others_counts_are_kept(world):
    make_notification(recipient=world.ts_operator)
    assert unread_count(world.ts_operator) == 1
    services.mark_all_read(user=world.sjz_operator)
    with CaptureQueriesContext(connection) as captured:
        assert unread_count(world.ts_operator) == 1
    assert len(captured) == 0
