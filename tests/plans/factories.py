"""Plans, steps and comments for the plans tests, made through the services so that
they reach their state the way the platform reaches it. (Kept here while
tests/factories.py belongs to the lead; they can move there unchanged.)"""

import datetime
import itertools

from django.utils import timezone

from campaigns.selectors import current_campaign
from plans import services
from plans.models import StepStatus

_counter = itertools.count(1)


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_plan(*, operator, campaign=None, goals="建成规范的心理疏导工作站。", content="对照四类二十项标准逐项落实。"):
    """The plan of `operator`'s unit for `campaign` (the current one by default)."""
    return services.create_plan(
        actor=operator,
        unit=operator.organisation,
        campaign=campaign or current_campaign(),
        goals=goals,
        content=content,
    )


def make_step(*, plan, operator, title=None, deadline=None, owner="王红", status=StepStatus.NOT_STARTED, progress=""):
    """A step of `plan`, due in 30 days unless `deadline` is given, moved to `status`."""
    step = services.add_step(
        actor=operator,
        plan=plan,
        title=title or f"步骤{next(_counter)}",
        deadline=deadline or days_from_today(30),
        owner=owner,
    )
    if status != StepStatus.NOT_STARTED or progress:
        step = services.update_step(actor=operator, step=step, status=status, progress=progress)
    return step


def step_form_data(**values) -> dict:
    """The POST of the add-step form, with valid values unless changed."""
    return {
        "title": "建立心理咨询室",
        "deadline": days_from_today(30).isoformat(),
        "owner": "李明（工会主席）",
        "description": "",
        **values,
    }
