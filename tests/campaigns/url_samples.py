"""Objects and kwargs to reverse every URL of the campaigns app, for the URL-by-role walk."""

from campaigns.models import VersionStatus
from tests.campaigns.factories import make_campaign, make_version


def samples(world) -> dict[str, dict]:
    """Make an active campaign with a published version 1 and a draft version 2, and a
    second campaign without a draft (the one a new version can be created for); return
    the kwargs of every URL name of the app."""
    campaign = make_campaign(name="抽样创建活动")
    published = make_version(campaign=campaign, number=1, status=VersionStatus.PUBLISHED, label="试行")
    draft = make_version(campaign=campaign, number=2, status=VersionStatus.DRAFT)
    without_draft = make_campaign(name="无草稿创建活动")
    make_version(campaign=without_draft, number=1, status=VersionStatus.PUBLISHED)
    return {
        "campaigns:list": {},
        "campaigns:create": {},
        "campaigns:detail": {"pk": campaign.pk},
        "campaigns:edit": {"pk": campaign.pk},
        "campaigns:standard": {"pk": campaign.pk},
        "campaigns:version-create": {"pk": without_draft.pk},
        "campaigns:version-detail": {"pk": published.pk},
        "campaigns:version-edit": {"pk": draft.pk},
        "campaigns:version-publish": {"pk": draft.pk},
        "campaigns:version-discard": {"pk": draft.pk},
    }
