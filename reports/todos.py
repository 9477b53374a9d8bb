"""What waits for an association (core.todos): the units of its subtree that are behind
with their plans, and the progress reports it owes the province."""

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.selectors import current_campaign
from core.roles import Role
from core.todos import Todo, provides
from reports import selectors

# Periods owed listed one by one; more are counted in one item.
PERIODS_SHOWN = 3


@provides(Role.ASSOCIATION)
def association_work(user, today):
    campaign = current_campaign()
    if campaign is None or user.organisation_id is None:
        return
    organisation = user.organisation
    figures = selectors.workspace_statistics(path=organisation.path, campaign=campaign, today=today)
    if figures["units_with_overdue"]:
        yield Todo(
            key="reports.units_behind",
            text=_("Units behind with their creation plans: guide them or remind them"),
            url=f"{reverse('reports:workspace-units')}?show={selectors.SHOW_OVERDUE}",
            count=figures["units_with_overdue"],
        )
    if not selectors.is_reporter(organisation):
        return
    own = selectors.own_reports_by_period(user, campaign)
    owed = [
        period
        for period in reversed(selectors.periods_of(campaign, today))
        if period.end < today and not (period.start in own and own[period.start].is_submitted)
    ]
    for period in owed[:PERIODS_SHOWN]:
        yield Todo(
            key="reports.report_due",
            text=_("Submit the progress report for %(start)s – %(end)s")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            url=reverse("reports:report-write", args=[campaign.pk, period.key]),
            since=period.due,
            detail=_("Due on %(day)s") % {"day": period.due.isoformat()},
            overdue=period.is_late_on(today),
        )
    if len(owed) > PERIODS_SHOWN:
        yield Todo(
            key="reports.more_due",
            text=_("More progress reports owed"),
            url=reverse("reports:progress"),
            count=len(owed) - PERIODS_SHOWN,
            overdue=True,
        )
