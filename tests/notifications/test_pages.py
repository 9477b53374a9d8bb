"""The list page, opening a notification, marking all read, and the scope of each."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.notifications.factories import make_notification


def listed(response) -> list[tuple[int, bool]]:
    return [(n.pk, n.is_unread) for n in response.context["page_obj"]]


def test_list_shows_own_notifications_newest_first_with_unread_marks(world, client_for):
    first = make_notification(recipient=world.sjz_operator, title="第一条")
    second = make_notification(recipient=world.sjz_operator, title="第二条")
    make_notification(recipient=world.ts_operator, title="唐山的通知")
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    response = client_for(world.sjz_operator).get(reverse("notifications:list"))
    assert response.status_code == 200
    assert listed(response) == [(second.pk, True), (first.pk, False)]
    html = response.content.decode()
    assert f'data-notification="{second.pk}" data-unread="true"' in html
    assert f'data-notification="{first.pk}" data-unread="false"' in html
    assert "唐山的通知" not in html


def test_list_unread_only(world, client_for):
    read = make_notification(recipient=world.sjz_operator)
    unread = make_notification(recipient=world.sjz_operator)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    response = client_for(world.sjz_operator).get(reverse("notifications:list"), {"show": "unread"})
    assert listed(response) == [(unread.pk, True)]


def test_list_is_empty_for_someone_without_notifications(world, client_for):
    make_notification(recipient=world.sjz_operator)
    response = client_for(world.province_admin).get(reverse("notifications:list"))
    assert listed(response) == []
    assert 'data-testid="notification-list-empty"' in response.content.decode()


def test_list_paginates(world, client_for):
    for index in range(27):
        make_notification(recipient=world.sjz_operator, title=f"通知{index}")
    client = client_for(world.sjz_operator)
    first_page = client.get(reverse("notifications:list"))
    second_page = client.get(reverse("notifications:list"), {"page": 2})
    assert (len(first_page.context["page_obj"]), len(second_page.context["page_obj"])) == (25, 2)
    assert second_page.context["page_obj"][1].title == "通知0"


def test_list_needs_a_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (302, True)


def test_open_marks_read_and_goes_to_the_link(world, client_for):
    notification = make_notification(recipient=world.sjz_operator, url="/notices/")
    response = client_for(world.sjz_operator).post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert (response.status_code, response["Location"]) == (302, "/notices/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_by_the_lists_htmx_link_is_told_where_to_go(world, client_for):
    notification = make_notification(recipient=world.sjz_operator, url="/notices/")
    client = client_for(world.sjz_operator)
    url = reverse("notifications:open", kwargs={"pk": notification.pk})
    assert f'href="{url}" hx-post="{url}"' in client.get(reverse("notifications:list")).content.decode()
    response = client.post(url, headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (200, "/notices/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_by_a_get_shows_the_notification_and_marks_nothing(world, client_for):
    # As a link from another site, an <img> or a prefetch would ask for it.
    notification = make_notification(recipient=world.sjz_operator, url="/notices/")
    url = reverse("notifications:open", kwargs={"pk": notification.pk})
    response = client_for(world.sjz_operator).get(url, headers={"Referer": "https://elsewhere.example/"})
    page = response.content.decode()
    assert (response.status_code, notification.title in page) == (200, True)
    assert f'<form method="post" action="{url}"' in page
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_twice_keeps_the_first_read_time(world, client_for):
    notification = make_notification(recipient=world.sjz_operator)
    client = client_for(world.sjz_operator)
    client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    notification.refresh_from_db()
    first_read = notification.read_at
    client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_open_without_a_link_goes_to_the_list(world, client_for):
    notification = make_notification(recipient=world.sjz_operator, url="")
    response = client_for(world.sjz_operator).post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("notifications:list")


def test_open_never_redirects_off_the_platform(world, client_for):
    notification = make_notification(recipient=world.sjz_operator)
    # Only notify() writes rows and it refuses such links; a row changed behind its back is still safe.
    Notification.objects.filter(pk=notification.pk).update(url="//evil.example/")
    response = client_for(world.sjz_operator).post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize("who", ["ts_operator", "sjz_association", "province_admin", "system_admin"])
def test_open_another_users_notification_is_404_and_stays_unread(world, client_for, who):
    notification = make_notification(recipient=world.sjz_operator)
    for method in ("get", "post"):
        response = getattr(client_for(getattr(world, who)), method)(
            reverse("notifications:open", kwargs={"pk": notification.pk})
        )
        assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_by_a_disabled_account_is_refused(world, client_for):
    notification = make_notification(recipient=world.sjz_operator)
    client = client_for(world.sjz_operator)
    world.sjz_operator.is_active = False
    world.sjz_operator.save(update_fields=["is_active"])
    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302  # the session of a disabled account no longer signs in
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_own_notifications(world, client_for):
    mine = [make_notification(recipient=world.sjz_operator) for _ in range(2)]
    theirs = make_notification(recipient=world.ts_operator)
    response = client_for(world.sjz_operator).post(reverse("notifications:mark-all-read"))
    assert (response.status_code, response["Location"]) == (302, reverse("notifications:list"))
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))
    assert unread == {theirs.pk}
    assert all(n.pk not in unread for n in mine)


def test_mark_all_read_needs_post(world, client_for):
    make_notification(recipient=world.sjz_operator)
    response = client_for(world.sjz_operator).get(reverse("notifications:mark-all-read"))
    assert response.status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_mark_all_read_button_only_while_something_is_unread(world, client_for):
    client = client_for(world.sjz_operator)
    assert 'data-testid="mark-all-read"' not in client.get(reverse("notifications:list")).content.decode()
    make_notification(recipient=world.sjz_operator)
    assert 'data-testid="mark-all-read"' in client.get(reverse("notifications:list")).content.decode()
