"""The random draw of a team: recorded with its seed and candidates, replayable."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditRecord
from inspections import selectors
from inspections.models import Draw
from inspections.services import teams
from tests.inspections import factories

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _draw(world, application, seed=None):
    return teams.draw_inspection(
        actor=world.province_staff, application=application, visit_date=NEXT_WEEK, place="会议室", seed=seed
    )


def test_a_draw_replays_to_the_same_team_from_its_record(world):
    factories.pool(world, 8)
    inspection = _draw(world, factories.awaiting(world))
    draw = Draw.objects.get(inspection=inspection)
    team = list(inspection.members.order_by("-is_leader", "pk").values_list("inspector_id", flat=True))
    assert selectors.replay_draw(draw) == draw.picked
    assert draw.picked[0] == inspection.members.get(is_leader=True).inspector_id
    assert sorted(draw.picked) == sorted(team)
    assert len(draw.candidates) == 8
    assert draw.size == 3


def test_the_same_seed_and_candidates_give_the_same_team():
    candidates = list(range(1, 41))
    assert selectors.draw_team(candidates, seed="3f2a", size=5) == selectors.draw_team(candidates, seed="3f2a", size=5)
    # A pinned value: the draw must not change with the machine or the Python build.
    assert selectors.draw_team([11, 12, 13, 14, 15, 16], seed="冀2026", size=3) == [14, 13, 16]


def test_another_seed_usually_gives_another_team():
    candidates = list(range(1, 41))
    teams_drawn = {tuple(selectors.draw_team(candidates, seed=str(seed), size=5)) for seed in range(20)}
    assert len(teams_drawn) == 20


def test_a_draw_is_audited_with_its_seed_and_candidates(world):
    factories.pool(world, 5)
    inspection = _draw(world, factories.awaiting(world), seed="abc")
    record = AuditRecord.objects.get(action="inspection.draw")
    draw = Draw.objects.get(inspection=inspection)
    assert record.details["seed"] == "abc"
    assert record.details["candidates"] == draw.candidates
    assert record.details["picked"] == draw.picked


def test_a_draw_record_cannot_be_rewritten(world):
    factories.pool(world, 3)
    draw = Draw.objects.get(inspection=_draw(world, factories.awaiting(world)))
    draw.seed = "other"
    with pytest.raises(ValueError, match="cannot be changed"):
        draw.save()


def test_a_draw_with_too_few_eligible_inspectors_is_refused(world):
    factories.pool(world, 2)
    application = factories.awaiting(world)
    with pytest.raises(ValidationError) as caught:
        _draw(world, application)
    assert caught.value.messages == ["专家库中只有 2 名专家可以考察该单位，考察组需要 3 名。"]
    assert not Draw.objects.exists()


def test_the_pool_is_balanced_by_open_assignments(world):
    inspectors = factories.pool(world, 4)
    factories.planned(world, team=inspectors[:3])
    application = factories.awaiting(world, operator=world.ts_operator)
    candidates = selectors.candidates_for(application)
    assert candidates[0].inspector == inspectors[3]
    assert [c.open_assignments for c in candidates] == [0, 1, 1, 1]
