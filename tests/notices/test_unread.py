from django.urls import reverse

from notices.models import NoticeRead, State
from tests.notices.factories import make_notice


def unread_marks(response) -> dict[int, bool]:
    return {notice.pk: notice.unread for notice in response.context["page_obj"]}


def test_unread_new_notice_is_marked_for_a_unit_operator(world, client_for):
    notice = make_notice(author=world.province_staff)
    response = client_for(world.sjz_operator).get(reverse("notices:list"))
    assert unread_marks(response) == {notice.pk: True}
    assert f'data-notice="{notice.pk}" data-unread="true"' in response.content.decode()


def read(client, notice):
    """What the notice page does as it opens: post its read mark (htmx)."""
    return client.post(reverse("notices:read", kwargs={"pk": notice.pk}), headers={"HX-Request": "true"})


def test_unread_showing_the_notice_marks_nothing_its_page_posts_the_mark(world, client_for):
    notice = make_notice(author=world.province_staff)
    client = client_for(world.sjz_operator)
    page = client.get(reverse("notices:detail", kwargs={"pk": notice.pk}))
    assert page.status_code == 200
    assert NoticeRead.objects.count() == 0
    assert f'hx-post="{reverse("notices:read", kwargs={"pk": notice.pk})}" hx-trigger="load"' in page.content.decode()
    response = read(client, notice)
    assert (response.status_code, 'data-read="true"' in response.content.decode()) == (200, True)
    assert list(NoticeRead.objects.values_list("user", "notice")) == [(world.sjz_operator.pk, notice.pk)]
    response = client.get(reverse("notices:list"))
    assert unread_marks(response) == {notice.pk: False}
    assert f'data-notice="{notice.pk}" data-unread="false"' in response.content.decode()


def test_unread_read_mark_without_javascript_goes_back_to_the_notice(world, client_for):
    notice = make_notice(author=world.province_staff)
    response = client_for(world.sjz_operator).post(reverse("notices:read", kwargs={"pk": notice.pk}))
    assert (response.status_code, response["Location"]) == (302, reverse("notices:detail", kwargs={"pk": notice.pk}))
    assert NoticeRead.objects.count() == 1


def test_unread_read_mark_answers_get_with_405(world, client_for):
    notice = make_notice(author=world.province_staff)
    assert client_for(world.sjz_operator).get(reverse("notices:read", kwargs={"pk": notice.pk})).status_code == 405
    assert NoticeRead.objects.count() == 0


def test_unread_opening_twice_keeps_one_read_row(world, client_for):
    notice = make_notice(author=world.province_staff)
    client = client_for(world.sjz_operator)
    for _ in range(2):
        read(client, notice)
    assert NoticeRead.objects.count() == 1


def test_unread_is_per_user(world, client_for):
    notice = make_notice(author=world.province_staff)
    read(client_for(world.sjz_operator), notice)
    response = client_for(world.ts_operator).get(reverse("notices:list"))
    assert unread_marks(response) == {notice.pk: True}


def test_unread_anonymous_visitor_has_no_marks(client, world):
    notice = make_notice(author=world.province_staff)
    response = client.get(reverse("notices:list"))
    assert unread_marks(response) == {notice.pk: False}
    client.get(reverse("notices:detail", kwargs={"pk": notice.pk}))
    assert NoticeRead.objects.count() == 0


def test_unread_drafts_are_never_unread_for_the_office(world, client_for):
    draft = make_notice(author=world.province_staff, state=State.DRAFT)
    client = client_for(world.province_staff)
    assert unread_marks(client.get(reverse("notices:list"))) == {draft.pk: False}
    read(client, draft)
    assert NoticeRead.objects.count() == 0


def test_unread_mark_all_read(world, client_for):
    first = make_notice(author=world.province_staff)
    second = make_notice(author=world.province_staff)
    make_notice(author=world.province_staff, state=State.DRAFT)
    client = client_for(world.sjz_operator)
    read(client, first)
    response = client.post(reverse("notices:mark-all-read"))
    assert response.status_code == 302
    assert sorted(NoticeRead.objects.filter(user=world.sjz_operator).values_list("notice", flat=True)) == sorted(
        [first.pk, second.pk]
    )


def test_unread_mark_all_read_answers_get_with_405(world, client_for):
    assert client_for(world.sjz_operator).get(reverse("notices:mark-all-read")).status_code == 405


def test_unread_home_page_shows_the_mark(world, client_for):
    notice = make_notice(author=world.province_staff)
    client = client_for(world.sjz_operator)
    assert f'data-notice="{notice.pk}" data-unread="true"' in client.get(reverse("home:index")).content.decode()
    read(client, notice)
    assert f'data-notice="{notice.pk}" data-unread="false"' in client.get(reverse("home:index")).content.decode()
