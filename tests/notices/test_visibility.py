from datetime import date

import pytest
from django.urls import reverse

from notices.models import Notice, State, Visibility
from notices.selectors import latest_notices_for
from tests.notices.factories import make_notice


@pytest.fixture
def notices(world):
    """One notice of every kind that could leak."""
    author = world.province_staff
    return {
        "public": make_notice(author=author, title="公开通知"),
        "internal": make_notice(author=author, title="内部通知", visibility=Visibility.INTERNAL),
        "draft": make_notice(author=author, title="草稿通知", state=State.DRAFT),
        "withdrawn": make_notice(author=author, title="撤回通知", state=State.WITHDRAWN),
        "internal_draft": make_notice(
            author=author, title="内部草稿", state=State.DRAFT, visibility=Visibility.INTERNAL
        ),
    }


def listed_titles(response) -> set[str]:
    return {notice.title for notice in response.context["page_obj"]}


def test_visibility_anonymous_sees_only_public_published(client, notices):
    response = client.get(reverse("notices:list"))
    assert response.status_code == 200
    assert listed_titles(response) == {"公开通知"}


def test_visibility_signed_in_user_sees_every_published_notice(world, client_for, notices):
    for user in (world.sjz_operator, world.ts_association, world.inspector, world.audit_admin):
        response = client_for(user).get(reverse("notices:list"))
        assert listed_titles(response) == {"公开通知", "内部通知"}


@pytest.mark.parametrize("role_user", ["province_staff", "province_admin"])
def test_visibility_provincial_office_sees_drafts_and_withdrawn(world, client_for, notices, role_user):
    response = client_for(getattr(world, role_user)).get(reverse("notices:list"))
    assert listed_titles(response) == {"公开通知", "内部通知", "草稿通知", "撤回通知", "内部草稿"}


def test_visibility_provincial_office_filters_by_state(world, client_for, notices):
    response = client_for(world.province_staff).get(reverse("notices:list"), {"state": "draft"})
    assert listed_titles(response) == {"草稿通知", "内部草稿"}


def test_visibility_state_filter_is_ignored_for_others(world, client_for, notices):
    response = client_for(world.sjz_operator).get(reverse("notices:list"), {"state": "draft"})
    assert listed_titles(response) == {"公开通知", "内部通知"}


@pytest.mark.parametrize("kind", ["internal", "draft", "withdrawn", "internal_draft"])
def test_visibility_anonymous_gets_404_by_url(client, notices, kind):
    response = client.get(reverse("notices:detail", kwargs={"pk": notices[kind].pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["draft", "withdrawn", "internal_draft"])
def test_visibility_unit_operator_gets_404_for_unpublished(world, client_for, notices, kind):
    response = client_for(world.sjz_operator).get(reverse("notices:detail", kwargs={"pk": notices[kind].pk}))
    assert response.status_code == 404


def test_visibility_anonymous_opens_public_notice(client, notices):
    response = client.get(reverse("notices:detail", kwargs={"pk": notices["public"].pk}))
    assert response.status_code == 200
    assert response.context["notice"].pk == notices["public"].pk


def test_visibility_staff_opens_draft(world, client_for, notices):
    response = client_for(world.province_staff).get(reverse("notices:detail", kwargs={"pk": notices["draft"].pk}))
    assert response.status_code == 200


def test_visibility_scope_method_per_audience(world, notices):
    anonymous = type("Anonymous", (), {"is_authenticated": False, "is_active": False})()
    assert set(Notice.objects.visible_to(anonymous).values_list("title", flat=True)) == {"公开通知"}
    assert set(Notice.objects.visible_to(world.sjz_operator).values_list("title", flat=True)) == {
        "公开通知",
        "内部通知",
    }
    assert Notice.objects.visible_to(world.province_staff).count() == 5


def test_visibility_disabled_account_sees_only_public(world, notices):
    world.sjz_operator.is_active = False
    assert set(Notice.objects.visible_to(world.sjz_operator).values_list("title", flat=True)) == {"公开通知"}


def test_visibility_latest_notices_are_published_only_even_for_staff(world, notices):
    titles = [notice.title for notice in latest_notices_for(world.province_staff, limit=5)]
    assert sorted(titles) == sorted(["公开通知", "内部通知"])


def test_visibility_latest_notices_newest_first_and_limited(world):
    for day in (1, 3, 2):
        make_notice(author=world.province_staff, title=f"第{day}日", issued_on=date(2026, 5, day))
    titles = [notice.title for notice in latest_notices_for(world.sjz_operator, limit=2)]
    assert titles == ["第3日", "第2日"]


def test_visibility_home_page_lists_only_public_notices_for_anonymous(client, notices):
    response = client.get(reverse("home:index"))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-notice="{notices["public"].pk}"' in content
    assert f'data-notice="{notices["internal"].pk}"' not in content


def test_visibility_home_page_shows_empty_state(client, db):
    response = client.get(reverse("home:index"))
    assert 'data-testid="latest-notices-empty"' in response.content.decode()
