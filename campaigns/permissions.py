"""Who may do what to campaigns and standards. Services enforce these; templates get the booleans."""

from campaigns.models import CampaignStatus
from core.roles import Role


def can_manage_campaigns(user) -> bool:
    """Only the provincial administrator creates and edits campaigns and standards (DESIGN.md §2)."""
    return user.is_authenticated and user.is_active and user.role == Role.PROVINCE_ADMIN


def can_edit_version(user, version) -> bool:
    """A version is edited while it is a draft; published and retired ones are frozen."""
    return can_manage_campaigns(user) and version.is_draft


def can_create_version(user, campaign) -> bool:
    """A new draft may start unless the campaign is closed or already has a draft."""
    return (
        can_manage_campaigns(user)
        and campaign.status != CampaignStatus.CLOSED
        and not campaign.versions.drafts().exists()
    )
