import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices import services
from notices.models import Visibility
from tests.notices import factories
from tests.notices.factories import make_notice, upload
from tests.notifications.factories import forget_bell_counts

# Session, user, the user's organisation in the top bar, the bell's unread count, the count and the page.
MAX_QUERIES = 6


def queries_for_list(client, django_assert_max_num_queries) -> int:
    forget_bell_counts()
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("notices:list"))
    assert response.status_code == 200
    return len(captured)


def add_notices(world, count):
    """`count` notices, public first then internal, each with a file and already read by
    someone else (whose read marks must not cost the viewer anything)."""
    for index in range(count):
        notice = make_notice(
            author=world.province_staff,
            visibility=Visibility.INTERNAL if index % 2 else Visibility.PUBLIC,
            files=[upload(f"附件{index}.pdf", factories.PDF)],
        )
        services.mark_notice_read(user=world.ts_operator, notice=notice)


@pytest.mark.parametrize("who", ["sjz_operator", "province_staff", None])
def test_queries_list_does_not_grow_with_rows(world, client, client_for, django_assert_max_num_queries, who):
    viewer = client_for(getattr(world, who)) if who else client
    add_notices(world, 1)
    with_one = queries_for_list(viewer, django_assert_max_num_queries)
    add_notices(world, 2)
    with_three = queries_for_list(viewer, django_assert_max_num_queries)
    assert with_one == with_three


def test_queries_list_shows_three_rows(world, client_for, django_assert_max_num_queries):
    add_notices(world, 3)
    response = client_for(world.sjz_operator).get(reverse("notices:list"))
    assert [notice.attachment_count for notice in response.context["page_obj"]] == [1, 1, 1]
    assert response.content.decode().count('data-unread="true"') == 3
