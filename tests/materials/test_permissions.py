import pytest

from campaigns.models import CampaignStatus
from core.roles import Role
from materials.permissions import can_change_materials
from tests.materials.factories import campaign


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("sjz_operator", True),
        ("ts_operator", False),
        ("sjz_association", False),
        ("province_admin", False),
        ("province_staff", False),
        ("inspector", False),
        ("system_admin", False),
    ],
)
def test_permissions_only_the_units_own_operator_changes_materials(world, who, expected):
    assert can_change_materials(getattr(world, who), world.sjz_unit, campaign()) is expected


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.CLOSED])
def test_permissions_nothing_changes_outside_a_running_campaign(world, status):
    running = campaign()
    running.status = status
    assert can_change_materials(world.sjz_operator, world.sjz_unit, running) is False


def test_permissions_a_disabled_account_changes_nothing(world):
    world.sjz_operator.is_active = False
    assert can_change_materials(world.sjz_operator, world.sjz_unit, campaign()) is False
    assert world.sjz_operator.role == Role.UNIT
