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


def test_unread_opening_the_notice_marks_it_read(world, client_for):
    notice = make_notice(author=world.province_staff)
    client = client_for(world.sjz_operator)
    assert client.get(reverse("notices:detail", kwargs={"pk": notice.pk})).status_code == 200
    assert list(NoticeRead.objects.values_list("user", "notice")) == [(world.sjz_operator.pk, notice.pk)]
    response = client.get(reverse("notices:list"))
    assert unread_marks(response) == {notice.pk: False}
    assert f'data-notice="{notice.pk}" data-unread="false"' in response.content.decode()


def test_unread_opening_twice_keeps_one_read_row(world, client_for):
    notice = make_notice(author=world.province_staff)
    client = client_for(world.sjz_operator)
    for _ in range(2):
        client.get(reverse("notices:detail", kwargs={"pk": notice.pk}))
    assert NoticeRead.objects.count() == 1


def test_unread_is_per_user(world, client_for):
    notice = make_notice(author=world.province_staff)
    client_for(world.sjz_operator).get(reverse("notices:detail", kwargs={"pk": notice.pk}))
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
    client.get(reverse("notices:detail", kwargs={"pk": draft.pk}))
    assert NoticeRead.objects.count() == 0


def test_unread_mark_all_read(world, client_for):
    first = make_notice(author=world.province_staff)
    second = make_notice(author=world.province_staff)
    make_notice(author=world.province_staff, state=State.DRAFT)
    client = client_for(world.sjz_operator)
    client.get(reverse("notices:detail", kwargs={"pk": first.pk}))
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
    assert f'data-notice="{notice.pk}" data-unread="true"' in client.get(reverse("core:home")).content.decode()
    client.get(reverse("notices:detail", kwargs={"pk": notice.pk}))
    assert f'data-notice="{notice.pk}" data-unread="false"' in client.get(reverse("core:home")).content.decode()
