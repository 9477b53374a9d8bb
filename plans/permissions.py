"""Who may do what with creation plans. Services enforce these; templates get the booleans.

Seeing a plan at all is Plan.objects.visible_to(user): these predicates only decide what
a user who already sees the plan may do with it.
"""

from campaigns.models import CampaignStatus
from core.roles import PROVINCE_ROLES, Role
from organisations.models import Kind


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def can_follow_plans(user) -> bool:
    """The province and the associations follow the plans of their area (the list page)."""
    return _active(user) and (user.role in PROVINCE_ROLES or user.role == Role.ASSOCIATION)


def can_create_plan(user, *, unit, campaign) -> bool:
    """Only the operator of `unit` writes its plan, and only while `campaign` runs."""
    return (
        _active(user)
        and user.role == Role.UNIT
        and user.organisation_id == unit.pk
        and unit.kind == Kind.UNIT
        and campaign.status == CampaignStatus.ACTIVE
    )


def can_edit_plan(user, plan) -> bool:
    """The operator of the plan's unit edits the plan and its steps while the campaign
    runs; after it closes the plan is a record and stays as it was. The association and
    the province guide by comments, they never write the unit's plan."""
    return (
        _active(user)
        and user.role == Role.UNIT
        and user.organisation_id == plan.unit_id
        and plan.campaign.status == CampaignStatus.ACTIVE
    )


def can_comment(user, plan) -> bool:
    """The association whose subtree holds the plan's unit, or the province, comments."""
    if not _active(user):
        return False
    if user.role in PROVINCE_ROLES:
        return True
    return user.role == Role.ASSOCIATION and user.organisation.contains(plan.unit)
