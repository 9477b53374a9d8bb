import pytest

from campaigns.models import CampaignStatus, VersionStatus
from core.roles import Role
from tests.campaigns.factories import make_campaign, make_version

NOT_ADMIN = [role for role in Role.values if role != Role.PROVINCE_ADMIN]
READERS = [Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR]
IT = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


@pytest.fixture
def objects(db):
    campaign = make_campaign()
    published = make_version(campaign=campaign, number=1, status=VersionStatus.PUBLISHED)
    draft = make_version(campaign=campaign, number=2, status=VersionStatus.DRAFT)
    return {"campaign": campaign, "published": published, "draft": draft}


def manager_urls(objects):
    campaign, draft = objects["campaign"].pk, objects["draft"].pk
    return [
        ("get", "/campaigns/new/"),
        ("post", "/campaigns/new/"),
        ("get", f"/campaigns/{campaign}/edit/"),
        ("post", f"/campaigns/{campaign}/edit/"),
        ("post", f"/campaigns/{campaign}/versions/new/"),
        ("get", f"/campaigns/versions/{draft}/edit/"),
        ("post", f"/campaigns/versions/{draft}/edit/"),
        ("post", f"/campaigns/versions/{draft}/publish/"),
        ("post", f"/campaigns/versions/{draft}/discard/"),
    ]


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_the_province_admin_may_manage_by_url(world, objects, client_for, role):
    client = client_for(world.user_of(role))
    for method, url in manager_urls(objects):
        assert (method, url, getattr(client, method)(url).status_code) == (method, url, 403)
    objects["draft"].refresh_from_db()
    assert objects["draft"].status == VersionStatus.DRAFT
    assert objects["campaign"].versions.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in_for_management(objects, client):
    for method, url in manager_urls(objects):
        response = getattr(client, method)(url)
        assert (url, response.status_code, response["Location"].startswith("/accounts/login/")) == (url, 302, True)


@pytest.mark.parametrize("role", READERS)
def test_business_roles_read_campaigns(world, objects, client_for, role):
    client = client_for(world.user_of(role))
    for url in (
        "/campaigns/",
        f"/campaigns/{objects['campaign'].pk}/",
        f"/campaigns/versions/{objects['published'].pk}/",
    ):
        assert (url, client.get(url).status_code) == (url, 200)


@pytest.mark.parametrize("role", IT)
def test_it_roles_do_not_read_campaigns(world, objects, client_for, role):
    client = client_for(world.user_of(role))
    for url in ("/campaigns/", f"/campaigns/{objects['campaign'].pk}/"):
        assert (url, client.get(url).status_code) == (url, 403)


@pytest.mark.parametrize("role", [Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR])
def test_drafts_are_hidden_from_outside_the_province(world, objects, client_for, role):
    client = client_for(world.user_of(role))
    draft_campaign = make_campaign(status=CampaignStatus.DRAFT)
    assert client.get(f"/campaigns/versions/{objects['draft'].pk}/").status_code == 404
    assert client.get(f"/campaigns/{draft_campaign.pk}/").status_code == 404
    listed = set(client.get("/campaigns/").context["page_obj"].object_list)
    assert draft_campaign not in listed


def test_province_staff_reads_drafts_without_edit_buttons(world, objects, client_for):
    response = client_for(world.province_staff).get(f"/campaigns/versions/{objects['draft'].pk}/")
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert 'data-action="version-publish"' not in response.content.decode()


def test_province_admin_sees_the_draft_actions(world, objects, client_for):
    response = client_for(world.province_admin).get(f"/campaigns/versions/{objects['draft'].pk}/")
    assert response.context["can_edit"] is True
    assert 'data-action="version-publish"' in response.content.decode()
