from campaigns.models import Campaign
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
