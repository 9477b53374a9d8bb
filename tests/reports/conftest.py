import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from applications import services as application_services
from campaigns.selectors import current_campaign
from core.roles import Role
from organisations.models import Kind
from plans.models import StepStatus
from tests.applications.factories import submitted
from tests.designations.factories import named_elsewhere
from tests.factories import make_organisation, make_user
from tests.plans.factories import make_plan, make_step


@dataclass
class Area:
    """The 石家庄 area of a workspace test, one unit per situation; and 唐山 data that
    must never show on the 石家庄 side."""

    planned_late: object  # a plan with one overdue step
    applied: object  # a submitted application, no plan
    idle: object  # nothing at all: not started
    planned: object  # a plan without steps
    drafting: object  # a draft application only: started, but not counted as applied
    named: object  # a named site
    ts_late: object
    ts_idle: object


def _unit_with_operator(name, parent):
    unit = make_organisation(name=name, parent=parent)
    return unit, make_user(role=Role.UNIT, organisation=unit, email=f"{unit.pk}@example.cn")


@pytest.fixture
def area(world):
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=5), today + datetime.timedelta(days=20)
    plan = make_plan(operator=world.sjz_operator)
    make_step(plan=plan, operator=world.sjz_operator, deadline=past)
    make_step(plan=plan, operator=world.sjz_operator, deadline=past, status=StepStatus.DONE)
    make_step(plan=plan, operator=world.sjz_operator, deadline=future)

    applied, applied_operator = _unit_with_operator("石家庄供电公司", world.changan)
    submitted(world, operator=applied_operator)
    idle, _ = _unit_with_operator("石家庄第二中学", world.shijiazhuang)
    planned, planned_operator = _unit_with_operator("石家庄纺织厂", world.changan)
    make_plan(operator=planned_operator)
    drafting, drafting_operator = _unit_with_operator("长安街道", world.changan)
    application_services.start_application(actor=drafting_operator, unit=drafting, campaign=current_campaign())
    named = named_elsewhere(world, "石家庄示范社区").unit

    ts_plan = make_plan(operator=world.ts_operator)
    make_step(plan=ts_plan, operator=world.ts_operator, deadline=past)
    ts_idle, _ = _unit_with_operator("唐山第一中学", world.tangshan)
    return Area(
        planned_late=world.sjz_unit,
        applied=applied,
        idle=idle,
        planned=planned,
        drafting=drafting,
        named=named,
        ts_late=world.ts_unit,
        ts_idle=ts_idle,
    )


@pytest.fixture
def department(world):
    """An association directly below the province that is not a city (a reporter too)."""
    return make_organisation(name="省直工委", kind=Kind.DEPARTMENT, parent=world.province)
