"""Objects and kwargs to reverse every URL of the campaigns app, for the URL-by-role walk."""

import datetime

from campaigns.models import CampaignStatus, VersionStatus
from core.roles import PROVINCE_ROLES, Role
from tests.campaigns.factories import make_campaign, make_version
from tests.core.scope import ANONYMOUS, EVERY_OBJECT


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


def out_of_scope_samples(world) -> dict[str, dict]:
    """A campaign still being drafted (and the draft version of another campaign) lies
    outside every role but the province's; nobody reads a draft's standard in public.
    The editing pages are the provincial administrator's alone, over every campaign."""
    drafted = make_campaign(name="筹备中创建活动", status=CampaignStatus.DRAFT)
    # Closed and old, so that it does not become the running campaign of the other samples.
    running = make_campaign(name="另一创建活动", status=CampaignStatus.CLOSED, start_date=datetime.date(2010, 1, 1))
    make_version(campaign=running, number=1, status=VersionStatus.PUBLISHED)
    draft_version = make_version(campaign=running, number=2, status=VersionStatus.DRAFT)
    readers = {role: {"pk": drafted.pk} for role in (Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR)}
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)
    return {
        "campaigns:detail": {**readers, **province},
        "campaigns:standard": {role: {"pk": drafted.pk} for role in (ANONYMOUS, *Role.values)},
        "campaigns:version-detail": {
            **{role: {"pk": draft_version.pk} for role in readers},
            **province,
        },
        "campaigns:edit": {Role.PROVINCE_ADMIN: EVERY_OBJECT},
        "campaigns:version-create": {Role.PROVINCE_ADMIN: EVERY_OBJECT},
        "campaigns:version-edit": {Role.PROVINCE_ADMIN: EVERY_OBJECT},
        "campaigns:version-publish": {Role.PROVINCE_ADMIN: EVERY_OBJECT},
        "campaigns:version-discard": {Role.PROVINCE_ADMIN: EVERY_OBJECT},
    }
