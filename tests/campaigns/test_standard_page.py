from decimal import Decimal

import pytest

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, VersionStatus
from tests.campaigns.factories import indicators_of, make_campaign, make_version


@pytest.fixture
def campaign_2014(db):
    return Campaign.objects.get(doc_number="冀研发【2014】1号")


def test_standard_page_works_without_login(client, campaign_2014):
    response = client.get(f"/campaigns/{campaign_2014.pk}/standard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-max-total="100"' in html
    assert 'data-threshold="85"' in html
    assert html.count('data-category-max="25"') == 4
    assert html.count('data-category-min="15"') == 4
    assert html.count('data-max-score="5"') == 20
    assert "配备必要的通讯设施、网络设施。" in html
    assert "Content-Security-Policy" in response.headers


def test_standard_page_needs_a_constant_number_of_queries(client, campaign_2014, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(f"/campaigns/{campaign_2014.pk}/standard/")


def test_standard_page_shows_the_new_total_once_published(world, client, campaign_2014):
    draft = services.create_version(actor=world.province_admin, campaign=campaign_2014)
    first = indicators_of(draft)[0]
    services.update_draft(
        actor=world.province_admin, version=draft, settings={}, indicators={first.pk: {"max_score": Decimal("10")}}
    )
    url = f"/campaigns/{campaign_2014.pk}/standard/"
    assert 'data-max-total="100"' in client.get(url).content.decode()
    services.publish_version(actor=world.province_admin, version=draft)
    html = client.get(url).content.decode()
    assert 'data-max-total="105"' in html
    assert f'data-version="{draft.pk}"' in html


def test_standard_page_of_a_draft_campaign_is_404(client, db):
    campaign = make_campaign(status=CampaignStatus.DRAFT)
    make_version(campaign=campaign, status=VersionStatus.PUBLISHED)
    assert client.get(f"/campaigns/{campaign.pk}/standard/").status_code == 404


def test_standard_page_without_a_published_version_says_so(client, db):
    campaign = make_campaign(status=CampaignStatus.CLOSED)
    make_version(campaign=campaign, status=VersionStatus.DRAFT)
    response = client.get(f"/campaigns/{campaign.pk}/standard/")
    assert response.status_code == 200
    assert 'data-testid="no-standard"' in response.content.decode()
