"""Inspections in a given stage, made through the real services."""

from decimal import Decimal

from django.utils import timezone

from applications import services as application_services
from applications.models import Decision
from core.roles import Role
from inspections.models import Inspector
from inspections.services import scoring, teams
from tests.applications import factories as application_factories
from tests.factories import make_organisation, make_user  # noqa: F401 (tests make units through here)


def awaiting(world, **kwargs):
    """An application that passed the preliminary review (awaiting inspection)."""
    application = application_factories.registered(world, **kwargs)
    application_services.review_application(
        actor=world.province_staff, application=application, decision=Decision.PASS, reason="", notes={}
    )
    application.refresh_from_db()
    return application


def make_inspector(*, name="专家", area=None, user=None, organisation=None, **fields) -> Inspector:
    """A pool entry with an active login account (a new one unless `user` is given)."""
    if user is None:
        user = make_user(role=Role.INSPECTOR, organisation=organisation)
    return Inspector.objects.create(user=user, name=name, area=area, phone="13812345678", **fields)


def pool(world, count=3, *, area=None):
    """`count` inspectors of the provincial level (or of `area`); the first is the
    world's own inspector account (its pool entry is made once and then reused), so that
    role walks find an assigned inspector."""
    own = Inspector.objects.filter(user=world.inspector).first()
    if own is None:
        own = make_inspector(name="专家1", area=area, user=world.inspector)
    others = [
        make_inspector(name=f"专家{index + 1}", area=area, organisation=world.province) for index in range(1, count)
    ]
    return [own, *others]


def planned(world, *, application=None, team=None, visit_date=None):
    """An inspection of an application awaiting inspection, its team led by the first of
    `team`; the visit is today unless `visit_date` (sheets are submitted from that day on)."""
    application = application or awaiting(world)
    team = team or pool(world, application.campaign.team_size)
    return teams.plan_inspection(
        actor=world.province_staff,
        application=application,
        visit_date=visit_date or timezone.localdate(),
        place="单位会议室",
        leader=team[0],
        members=team[1:],
    )


def score_sheet(sheet, scores, *, submit=True):
    """Fill `sheet` with `scores` (a Decimal for every indicator, or a list in indicator
    order) and submit it."""
    user = sheet.inspector.user
    indicators = list(
        sheet.inspection.application.version.categories.values_list("indicators__pk", "indicators__max_score").order_by(
            "order", "indicators__order"
        )
    )
    if not isinstance(scores, list):
        scores = [scores] * len(indicators)
    for (indicator_id, maximum), score in zip(indicators, scores, strict=True):
        comment = "" if score == maximum else "材料不全"
        scoring.save_score(actor=user, sheet=sheet, indicator_id=indicator_id, score=Decimal(score), comment=comment)
    if submit:
        scoring.submit_sheet(actor=user, sheet=sheet)
    return sheet


def finalised(world, *, scores=None, application=None):
    """A finalised inspection: every member scored (all 5 unless `scores` gives one value
    or list per member) and the leader finalised."""
    inspection = planned(world, application=application)
    sheets = list(inspection.sheets.select_related("inspector__user").order_by("pk"))
    for index, sheet in enumerate(sheets):
        score_sheet(sheet, (scores or {}).get(index, Decimal("5")) if isinstance(scores, dict) else Decimal("5"))
    leader = inspection.members.get(is_leader=True).inspector.user
    scoring.finalise_inspection(actor=leader, inspection=inspection)
    inspection.refresh_from_db()
    return inspection
