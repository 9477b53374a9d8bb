"""Who may change a unit's materials. Services enforce this; templates get the boolean.

`can_change_materials` is the one rule for upload, replace and remove. The applications
app extends it here (e.g. "only while the unit's application is editable") rather than
checking anything of its own around the services.
"""

from campaigns.models import CampaignStatus
from core.roles import Role


def can_change_materials(user, unit, campaign) -> bool:
    """Only an operator of `unit` itself, for a campaign that is running, and not while its
    application is with the provincial office. Nobody else writes a unit's files: not its
    association, not the province."""
    if not (
        user.is_authenticated
        and user.is_active
        and user.role == Role.UNIT
        and user.organisation_id == unit.pk
        and campaign.status == CampaignStatus.ACTIVE
    ):
        return False
    # While the office holds an application (submitted, under review, being inspected),
    # the files it was submitted with stay as they are; a return opens them again.
    from applications.models import EDITABLE_STATES, Application

    return (
        not Application.objects.filter(unit=unit, campaign=campaign).open().exclude(state__in=EDITABLE_STATES).exists()
    )
