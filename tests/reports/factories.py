"""Progress reports made through the real services. (Kept here while tests/factories.py
belongs to the lead; they can move there unchanged.)"""

from django.utils import timezone

from campaigns.selectors import current_campaign
from reports import selectors, services
from reports.models import Frequency, ReportingSchedule


def set_schedule(campaign=None, *, starts_on=None, frequency=Frequency.MONTHLY, grace_days=10):
    """The reporting schedule of `campaign` (the current one by default), from `starts_on`
    (default: the campaign's first month, so that every period of the campaign is asked)."""
    campaign = campaign or current_campaign()
    return ReportingSchedule.objects.update_or_create(
        campaign=campaign,
        defaults={
            "starts_on": (starts_on or campaign.start_date).replace(day=1),
            "frequency": frequency,
            "grace_days": grace_days,
        },
    )[0]


def current_period(campaign=None):
    """`campaign` (the current one by default) and its period that holds today; a monthly
    schedule from the campaign's start where none is set."""
    campaign = campaign or current_campaign()
    if not ReportingSchedule.objects.filter(campaign=campaign).exists():
        set_schedule(campaign)
    return campaign, selectors.periods_of(campaign, timezone.localdate())[0]


def make_report(
    world, *, user=None, campaign=None, period=None, submit=False, narrative="本月指导基层单位制定计划。", **texts
):
    """A report of `user`'s association (石家庄市 by default) for `period` (the one of
    `campaign` that holds today), submitted when `submit`."""
    campaign, current = current_period(campaign)
    actor = user or world.sjz_association
    report = services.save_report(
        actor=actor, campaign=campaign, period=period or current, narrative=narrative, **texts
    )
    if submit:
        report = services.submit_report(actor=actor, report=report)
    return report
