import datetime

from campaigns.models import Campaign, CampaignStatus, VersionStatus
from campaigns.selectors import current_campaign, current_version, draft_version
from tests.campaigns.factories import make_campaign, make_version


def test_current_campaign_is_the_active_one_starting_last(db):
    newest = make_campaign(start_date=datetime.date(2031, 1, 1))
    make_campaign(start_date=datetime.date(2032, 1, 1), status=CampaignStatus.DRAFT)
    make_campaign(start_date=datetime.date(2033, 1, 1), status=CampaignStatus.CLOSED)
    assert current_campaign() == newest


def test_current_campaign_is_none_without_an_active_campaign(db):
    Campaign.objects.update(status=CampaignStatus.CLOSED)
    assert current_campaign() is None


def test_current_version_is_the_published_one(db):
    campaign = make_campaign()
    make_version(campaign=campaign, number=1, status=VersionStatus.RETIRED)
    published = make_version(campaign=campaign, number=2, status=VersionStatus.PUBLISHED)
    draft = make_version(campaign=campaign, number=3, status=VersionStatus.DRAFT)
    assert (current_version(campaign), draft_version(campaign)) == (published, draft)


def test_current_version_is_none_before_anything_is_published(db):
    campaign = make_campaign(status=CampaignStatus.DRAFT)
    make_version(campaign=campaign, status=VersionStatus.DRAFT)
    assert current_version(campaign) is None
