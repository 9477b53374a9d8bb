"""Every transition of the table, allowed and forbidden, and what each leaves behind."""

import ast
from pathlib import Path

import pytest

from applications import services
from applications.models import State
from applications.workflow import TRANSITIONS, TransitionError, transition
from audit.models import AuditRecord
from tests.applications import factories

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "submit": ({State.DRAFT}, State.SUBMITTED, False),
    "withdraw": ({State.SUBMITTED}, State.DRAFT, False),
    "register": ({State.SUBMITTED}, State.REGISTERED, False),
    "pass": ({State.REGISTERED}, State.AWAITING_INSPECTION, False),
    "return": ({State.REGISTERED}, State.RETURNED, True),
    "reject": ({State.REGISTERED}, State.REJECTED, True),
    "resubmit": ({State.RETURNED}, State.REGISTERED, False),
    "score": ({State.AWAITING_INSPECTION}, State.SCORED, False),
    "name": ({State.SCORED}, State.NAMED, False),
    "decline": ({State.SCORED}, State.NOT_NAMED, True),
    "revoke": ({State.NAMED}, State.REVOKED, True),
}


def test_the_table_declares_exactly_the_workflow_of_the_design():
    declared = {name: (set(t.sources), t.target, t.reason_required) for name, t in TRANSITIONS.items()}
    assert declared == EXPECTED


def test_only_the_workflow_module_assigns_the_state():
    offenders = []
    for path in [*ROOT.glob("applications/**/*.py"), *ROOT.glob("inspections/**/*.py")]:
        if path.name == "workflow.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def states_reachable(world, state):
    """An application of the 石家庄 unit in `state`."""
    if state == State.DRAFT:
        return factories.full_draft(world)
    if state == State.SUBMITTED:
        return factories.submitted(world)
    application = factories.registered(world)
    if state == State.REGISTERED:
        return application
    if state == State.RETURNED:
        services.review_application(
            actor=world.province_staff, application=application, decision="return", reason="补充"
        )
        application.refresh_from_db()
        return application
    raise AssertionError(state)


ACTORS = {
    "submit": "sjz_operator",
    "withdraw": "sjz_operator",
    "resubmit": "sjz_operator",
    "register": "province_staff",
    "pass": "province_staff",
    "return": "province_staff",
    "reject": "province_staff",
    "score": "inspector",
    "name": "province_admin",
    "decline": "province_admin",
    "revoke": "province_admin",
}
SOURCE_STATES = [State.DRAFT, State.SUBMITTED, State.REGISTERED, State.RETURNED]


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("state", SOURCE_STATES)
def test_each_transition_from_each_state_is_allowed_only_where_declared(world, name, state):
    application = states_reachable(world, state)
    actor = getattr(world, ACTORS[name])
    sources, target, _ = EXPECTED[name]
    before = AuditRecord.objects.count()
    if state in sources:
        result = transition(application=application, name=name, actor=actor, reason="理由")
        assert result.state == target
        record = AuditRecord.objects.latest("pk")
        assert (record.action, record.from_state, record.to_state, record.actor) == (
            f"application.{name}",
            state,
            target,
            actor,
        )
    else:
        with pytest.raises(TransitionError) as raised:
            transition(application=application, name=name, actor=actor, reason="理由")
        assert raised.value.code == "state"
        application.refresh_from_db()
        assert application.state == state
        assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("name", ["submit", "withdraw", "resubmit"])
def test_unit_transitions_are_refused_to_the_province_and_to_another_unit(world, name):
    state = next(iter(EXPECTED[name][0]))
    application = states_reachable(world, state)
    for actor in (world.province_staff, world.ts_operator, world.sjz_association):
        with pytest.raises(TransitionError) as raised:
            transition(application=application, name=name, actor=actor)
        assert raised.value.code == "forbidden"


@pytest.mark.parametrize("name", ["register", "pass", "return", "reject"])
def test_office_transitions_are_refused_to_units_and_associations(world, name):
    state = next(iter(EXPECTED[name][0]))
    application = states_reachable(world, state)
    for actor in (world.sjz_operator, world.sjz_association, world.inspector):
        with pytest.raises(TransitionError) as raised:
            transition(application=application, name=name, actor=actor, reason="理由")
        assert raised.value.code == "forbidden"


@pytest.mark.parametrize("name", ["return", "reject"])
def test_return_and_reject_need_a_reason(world, name):
    application = factories.registered(world)
    with pytest.raises(TransitionError) as raised:
        transition(application=application, name=name, actor=world.province_staff, reason="  ")
    assert raised.value.code == "reason"
    application.refresh_from_db()
    assert application.state == State.REGISTERED


def test_a_registered_application_cannot_be_withdrawn_even_after_a_return(world):
    application = states_reachable(world, State.RETURNED)
    services.submit_application(actor=world.sjz_operator, application=application)
    with pytest.raises(TransitionError) as raised:
        services.withdraw_application(actor=world.sjz_operator, application=application)
    assert raised.value.code == "state"  # back under review at once: never "submitted" again


def test_submission_is_refused_with_the_list_of_what_is_missing(world):
    from django.core.exceptions import ValidationError

    application = services.start_application(
        actor=world.sjz_operator, unit=world.sjz_unit, campaign=factories.campaign()
    )
    with pytest.raises(ValidationError) as raised:
        services.submit_application(actor=world.sjz_operator, application=application)
    assert len(raised.value.messages) == 41  # 20 scores, 20 evidence files, the work summary
    application.refresh_from_db()
    assert (application.state, application.snapshots.count()) == (State.DRAFT, 0)


def test_a_self_score_below_the_threshold_needs_confirmation(world):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    application = factories.full_draft(world, score=Decimal("3"))
    with pytest.raises(ValidationError) as raised:
        services.submit_application(actor=world.sjz_operator, application=application)
    assert raised.value.code == "below_threshold"
    services.submit_application(actor=world.sjz_operator, application=application, confirm_below_threshold=True)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_resubmission_goes_back_to_review_under_its_number_without_a_second_registration(world):
    from audit.models import AuditRecord

    application = states_reachable(world, State.RETURNED)
    code = application.registration_code
    resubmitted = services.submit_application(actor=world.sjz_operator, application=application)
    assert (resubmitted.state, resubmitted.registration_code, resubmitted.round) == (State.REGISTERED, code, 2)
    assert resubmitted.snapshots.count() == 2
    assert AuditRecord.objects.filter(action="application.register").count() == 1
    record = AuditRecord.objects.get(action="application.resubmit")
    assert (record.from_state, record.to_state) == (State.RETURNED, State.REGISTERED)
    services.review_application(actor=world.province_staff, application=resubmitted, decision="pass", reason="")
