import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.notifications.factories import make_notification

# Session, user, the user's organisation in the top bar, the bell's count, the
# paginator's count and the page.
MAX_QUERIES = 6


def queries_for_list(client, django_assert_max_num_queries, **params) -> int:
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("notifications:list"), params)
    assert response.status_code == 200
    return len(captured)


def add_notifications(world, count):
    """`count` notifications of the viewer from different actors, and one for someone else."""
    actors = [world.province_staff, world.sjz_association, None]
    for index in range(count):
        make_notification(recipient=world.sjz_operator, actor=actors[index % 3], url="/notices/")
    make_notification(recipient=world.ts_operator, actor=world.province_staff)


@pytest.mark.parametrize("params", [{}, {"show": "unread"}])
def test_queries_list_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries, params):
    client = client_for(world.sjz_operator)
    add_notifications(world, 1)
    with_one = queries_for_list(client, django_assert_max_num_queries, **params)
    add_notifications(world, 2)
    with_three = queries_for_list(client, django_assert_max_num_queries, **params)
    assert with_one == with_three


def test_queries_list_shows_three_rows(world, client_for):
    add_notifications(world, 3)
    response = client_for(world.sjz_operator).get(reverse("notifications:list"))
    assert len(response.context["page_obj"]) == 3
    assert response.content.decode().count('data-unread="true"') == 3
