from campaigns.models import Campaign, CampaignStatus
from core.roles import PROVINCE_ROLES, Role
from tests.campaigns.factories import make_campaign
from tests.core.scope import EVERY_OBJECT
from tests.reports.factories import current_period, make_report


def samples(world) -> dict[str, dict]:
    """The submitted report of 石家庄市 (the walk's association) for the current period
    stands behind every URL with a key."""
    # The 2014 campaign: other apps' samples add campaigns that start in the future.
    campaign, period = current_period(Campaign.objects.order_by("start_date", "pk").first())
    report = make_report(world, campaign=campaign, submit=True)
    keys = {"campaign_pk": campaign.pk, "period": period.key}
    return {
        "reports:workspace": {},
        "reports:workspace-units": {},
        "reports:remind": {},
        "reports:workspace-of": {"pk": world.shijiazhuang.pk},
        "reports:workspace-units-of": {"pk": world.shijiazhuang.pk},
        "reports:progress": {},
        "reports:schedule-edit": {},
        "reports:period": keys,
        "reports:period-remind": keys,
        "reports:period-xlsx": keys,
        "reports:period-pdf": keys,
        "reports:report-write": keys,
        "reports:report-detail": {"pk": report.pk},
        "reports:report-submit": {"pk": report.pk},
        "reports:report-comment": {"pk": report.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """唐山市's draft report lies outside the 石家庄 association and, as a draft, outside
    the province; a campaign still being drafted has no reporting period for anyone."""
    campaign, period = current_period(Campaign.objects.order_by("start_date", "pk").first())
    draft = make_report(world, user=world.ts_association, campaign=campaign)
    drafted = make_campaign(name="筹备中报告活动", status=CampaignStatus.DRAFT)
    other_campaign = {"campaign_pk": drafted.pk, "period": period.key}
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)
    outside = {"pk": draft.pk}
    return {
        "reports:workspace-of": province,
        "reports:workspace-units-of": province,
        "reports:period": dict.fromkeys(PROVINCE_ROLES, other_campaign),
        "reports:period-remind": dict.fromkeys(PROVINCE_ROLES, other_campaign),
        "reports:period-xlsx": dict.fromkeys(PROVINCE_ROLES, other_campaign),
        "reports:period-pdf": dict.fromkeys(PROVINCE_ROLES, other_campaign),
        "reports:report-write": {Role.ASSOCIATION: other_campaign},
        "reports:report-detail": {**dict.fromkeys(PROVINCE_ROLES, outside), Role.ASSOCIATION: outside},
        "reports:report-submit": {Role.ASSOCIATION: outside},
        "reports:report-comment": dict.fromkeys(PROVINCE_ROLES, outside),
    }
