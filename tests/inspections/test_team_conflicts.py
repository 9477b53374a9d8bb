"""Avoidance (回避): an inspector in conflict with the unit is never proposed, never
accepted when chosen by hand, never drawn."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from inspections import selectors
from inspections.models import Conflict, Inspection
from inspections.services import teams
from organisations.models import Kind
from tests.factories import make_organisation, make_user
from tests.inspections import factories

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def application(world):
    return factories.awaiting(world)


@pytest.fixture
def conflicted(world, application):
    """One inspector for every conflict rule, named after it."""
    unit = application.unit  # 石家庄第一中学, in 长安区 of 石家庄市
    same_city = factories.make_inspector(name="同市专家", area=world.shijiazhuang, organisation=world.province)
    same_city_by_account = factories.make_inspector(name="同市账号专家", organisation=world.changan)
    own_unit = factories.make_inspector(name="本单位专家", organisation=unit)
    declared = factories.make_inspector(name="申报回避专家", area=world.tangshan, organisation=world.province)
    Conflict.objects.create(inspector=declared, organisation=unit)
    declared_above = factories.make_inspector(name="上级回避专家", organisation=world.province)
    Conflict.objects.create(inspector=declared_above, organisation=world.changan)
    inactive = factories.make_inspector(name="停用专家", organisation=world.province, is_active=False)
    return [same_city, same_city_by_account, own_unit, declared, declared_above, inactive]


def test_conflicting_inspectors_are_never_proposed(world, application, conflicted):
    eligible = factories.pool(world, 3)
    proposed = {c.inspector.pk for c in selectors.candidates_for(application)}
    assert proposed == {i.pk for i in eligible}


def test_each_conflict_rule_gives_its_reason(world, application, conflicted):
    reasons = {c.inspector.name: c.conflict for c in selectors.candidates_for(application, include_ineligible=True)}
    assert reasons["同市专家"] == "与被考察单位属同一市或系统"
    assert reasons["同市账号专家"] == "与被考察单位属同一市或系统"
    assert reasons["本单位专家"] == "属被考察单位本身"
    assert reasons["申报回避专家"] == "已申报与该单位存在利益冲突"
    assert reasons["上级回避专家"] == "已申报与该单位存在利益冲突"
    assert reasons["停用专家"] == "已在专家库中停用"


def test_an_inspector_from_another_city_is_eligible(world, application):
    other_city = factories.make_inspector(name="唐山专家", area=world.tangshan, organisation=world.province)
    assert selectors.conflict_of(other_city, application.unit, declared=set()) == ""


def test_an_inspector_without_an_active_account_is_not_proposed(world, application):
    inspector = factories.make_inspector(name="无账号专家", organisation=world.province)
    inspector.user.is_active = False
    inspector.user.save()
    assert inspector.pk not in {c.inspector.pk for c in selectors.candidates_for(application)}


@pytest.mark.parametrize("index", range(6))
def test_a_conflicting_inspector_chosen_by_hand_is_refused(world, application, conflicted, index):
    eligible = factories.pool(world, 3)
    with pytest.raises(ValidationError) as caught:
        teams.plan_inspection(
            actor=world.province_staff,
            application=application,
            visit_date=NEXT_WEEK,
            place="会议室",
            leader=eligible[0],
            members=[eligible[1], conflicted[index]],
        )
    assert conflicted[index].name in " ".join(caught.value.message_dict["members"])
    assert Inspection.objects.count() == 0


def test_a_conflicting_leader_is_refused_on_the_leader_field(world, application, conflicted):
    eligible = factories.pool(world, 3)
    with pytest.raises(ValidationError) as caught:
        teams.plan_inspection(
            actor=world.province_staff,
            application=application,
            visit_date=NEXT_WEEK,
            place="会议室",
            leader=conflicted[0],
            members=eligible[:2],
        )
    assert "leader" in caught.value.message_dict
    assert Inspection.objects.count() == 0


def test_a_draw_never_picks_a_conflicting_inspector(world, application, conflicted):
    eligible = factories.pool(world, 4)
    for seed in ("a", "b", "c", "d", "e"):
        inspection = teams.draw_inspection(
            actor=world.province_staff, application=application, visit_date=NEXT_WEEK, place="会议室", seed=seed
        )
        team = set(inspection.members.values_list("inspector_id", flat=True))
        assert team <= {i.pk for i in eligible}
        teams.cancel_inspection(actor=world.province_staff, inspection=inspection, reason="重抽")


def test_a_conflict_declared_with_a_whole_system_covers_its_units(world):
    system = make_organisation(name="省教育系统", kind=Kind.SYSTEM, parent=world.province)
    school = make_organisation(name="系统内学校", parent=system)
    make_user(role=Role.UNIT, organisation=school)
    inspector = factories.make_inspector(name="教育专家", organisation=world.province)
    Conflict.objects.create(inspector=inspector, organisation=system)
    declared = selectors.declared_conflicts(school)
    assert selectors.conflict_of(inspector, school, declared=declared) == "已申报与该单位存在利益冲突"
