"""Each signed-in home page is its role's to-do list (待办): what waits for this person,
overdue first, each item a link to where it is done; never another area's work."""

import datetime

from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import Application, Decision
from core.roles import Role
from designations.models import Designation
from inspections.models import Inspection, Scoresheet
from inspections.services import scoring
from notices.models import State as NoticeState
from plans.models import StepStatus
from tests.applications import factories as application_factories
from tests.designations import factories as designation_factories
from tests.factories import make_organisation, make_user
from tests.inspections import factories as inspection_factories
from tests.notices.factories import make_notice
from tests.plans.factories import days_from_today, make_plan, make_step
from tests.reports.factories import set_schedule


def _home(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    todos = response.context["todos"]
    for item in todos:
        # Every item is on the page, a link to where it is done.
        assert f'data-todo="{item.key}"' in page
        assert f'href="{item.url}"' in page.replace("&amp;", "&")
    return todos, page


def _keys(todos):
    return [item.key for item in todos]


def _by_key(todos, key):
    return next(item for item in todos if item.key == key)


def test_todos_of_a_new_unit_are_its_plan_then_its_application(world, client_for):
    todos, _page = _home(client_for(world.sjz_operator))
    assert _keys(todos) == ["plans.create", "applications.start"]
    assert [item.url for item in todos] == [reverse("plans:mine"), reverse("applications:mine")]


def test_todos_of_a_unit_put_the_return_and_overdue_steps_first(world, client_for):
    plan = make_plan(operator=world.sjz_operator)
    make_step(plan=plan, operator=world.sjz_operator, title="成立工作领导小组", deadline=days_from_today(-10))
    make_step(plan=plan, operator=world.sjz_operator, title="建设心理咨询室", deadline=days_from_today(-3))
    make_step(
        plan=plan,
        operator=world.sjz_operator,
        title="已完成的步骤",
        deadline=days_from_today(-20),
        status=StepStatus.DONE,
    )
    make_step(plan=plan, operator=world.sjz_operator, title="开展全员培训", deadline=days_from_today(12))
    make_step(plan=plan, operator=world.sjz_operator, title="更远的步骤", deadline=days_from_today(40))
    application = application_factories.registered(world)
    application_services.review_application(
        actor=world.province_staff,
        application=application,
        decision=Decision.RETURN,
        reason="第 6 项缺少心理咨询室的照片。",
        notes={},
    )

    todos, page = _home(client_for(world.sjz_operator))

    assert _keys(todos) == ["plans.step_overdue", "plans.step_overdue", "applications.returned", "plans.step_next"]
    assert [item.overdue for item in todos] == [True, True, True, False]
    assert "成立工作领导小组" in todos[0].text
    assert "建设心理咨询室" in todos[1].text
    returned = _by_key(todos, "applications.returned")
    assert returned.url == reverse("applications:assessment", args=[application.pk])
    assert returned.detail == "第 6 项缺少心理咨询室的照片。"
    assert "第 6 项缺少心理咨询室的照片。" in page
    assert "开展全员培训" in _by_key(todos, "plans.step_next").text
    assert page.count('data-overdue="1"') == 3


def test_todos_of_a_unit_tell_its_inspection_and_then_its_certificate(world, client_for):
    inspection = inspection_factories.planned(world, visit_date=days_from_today(9))
    todos, _page = _home(client_for(world.sjz_operator))
    visit = _by_key(todos, "inspections.visit")
    assert visit.since == days_from_today(9)
    assert visit.detail == f"{days_from_today(9).isoformat()} · 单位会议室 · 组长 专家1"
    assert visit.url == reverse("applications:detail", args=[inspection.application_id])
    assert _keys(todos) == ["inspections.visit", "applications.awaiting_inspection"]

    Inspection.objects.filter(pk=inspection.pk).update(visit_date=timezone.localdate())  # the day has come
    for sheet in Scoresheet.objects.filter(inspection=inspection).select_related("inspector__user"):
        inspection_factories.score_sheet(sheet, 5)
    scoring.finalise_inspection(actor=world.inspector, inspection=inspection)
    designation_factories.announce(world, [Application.objects.get(pk=inspection.application_id)])

    todos, _page = _home(client_for(world.sjz_operator))
    certificate = _by_key(todos, "designations.certificate")
    assert certificate.waiting
    assert certificate.text.endswith(Designation.objects.get().certificate_number)
    assert certificate.url == reverse("designations:certificate", args=[Designation.objects.get().pk])
    assert _keys(todos)[0] == "showcase.write"
    assert "inspections.visit" not in _keys(todos)


def test_todos_of_provincial_staff_count_each_stage_in_their_scope(world, client_for):
    application_factories.submitted(world)
    late = application_factories.registered(world, operator=world.ts_operator)
    Application.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=60))
    inspection_factories.awaiting(world, operator=_unit_operator(world, "石家庄第三中学"))
    designation_factories.scored_elsewhere(world, "石家庄示范社区")
    make_notice(author=world.province_admin, state=NoticeState.DRAFT)

    todos, _page = _home(client_for(world.province_staff))

    # Beyond the time limit first, then the oldest (submitted 60 days ago), then the rest.
    assert _keys(todos)[:2] == ["applications.over_limit", "applications.review"]
    counts = {item.key: item.count for item in todos}
    assert counts == {
        "applications.over_limit": 1,
        "applications.review": 1,
        "applications.register": 1,
        "inspections.plan": 1,
        "notices.publish": 1,
        "organisations.registrations": 1,
        "designations.name": 1,
    }
    assert _by_key(todos, "applications.over_limit").url == reverse("applications:inbox") + "?waiting=over"
    # Staff only learn that a naming decision waits; the administrator is asked to make it.
    assert _by_key(todos, "designations.name").waiting
    admin_todos, _page = _home(client_for(world.province_admin))
    assert not _by_key(admin_todos, "designations.name").waiting


def test_todos_of_an_association_hold_its_registrations_units_behind_and_reports_owed(world, client_for):
    plan = make_plan(operator=world.sjz_operator)
    make_step(plan=plan, operator=world.sjz_operator, deadline=days_from_today(-2))
    ts_plan = make_plan(operator=world.ts_operator)
    make_step(plan=ts_plan, operator=world.ts_operator, deadline=days_from_today(-2))
    first_of_month = timezone.localdate().replace(day=1)
    set_schedule(starts_on=(first_of_month - datetime.timedelta(days=40)))  # last month and the one before

    todos, _page = _home(client_for(world.sjz_association))

    keys = _keys(todos)
    assert keys.count("reports.report_due") == 2
    assert {"organisations.registrations", "reports.units_behind"} <= set(keys)
    assert _by_key(todos, "reports.units_behind").count == 1
    assert _by_key(todos, "organisations.registrations").count == 1
    owed = [item for item in todos if item.key == "reports.report_due"]
    assert owed[0].overdue
    assert owed[0].since < owed[1].since
    # 唐山's association sees nothing of 石家庄's pending unit.
    ts_todos, _page = _home(client_for(world.ts_association))
    assert "organisations.registrations" not in _keys(ts_todos)
    assert _by_key(ts_todos, "reports.units_behind").count == 1


def test_todos_of_an_inspector_are_sheets_to_submit_then_the_result_to_finalise(world, client_for):
    inspection = inspection_factories.planned(world)
    Inspection.objects.filter(pk=inspection.pk).update(visit_date=days_from_today(-1))  # the visit took place
    own = Scoresheet.objects.get(inspection=inspection, inspector__user=world.inspector)
    client = client_for(world.inspector)

    todos, _page = _home(client)
    sheet = _by_key(todos, "inspections.sheet")
    assert (sheet.url, sheet.overdue) == (reverse("inspections:sheet", args=[own.pk]), True)
    assert sheet.detail == f"{days_from_today(-1).isoformat()} · 单位会议室"

    inspection_factories.score_sheet(own, 5)
    assert _keys(_home(client)[0]) == []  # its own sheet is in; the teammates' are not
    for other in Scoresheet.objects.filter(inspection=inspection).exclude(pk=own.pk).select_related("inspector__user"):
        inspection_factories.score_sheet(other, 5)
    todos, _page = _home(client)
    assert _keys(todos) == ["inspections.finalise"]
    assert todos[0].url == reverse("inspections:detail", args=[inspection.pk])


def test_todos_empty_say_so(world, client_for):
    for user in (world.security_admin, world.audit_admin, world.inspector):
        todos, page = _home(client_for(user))
        assert todos == []
        assert 'data-testid="todos-empty"' in page


def _unit_operator(world, name):
    unit = make_organisation(name=name, parent=world.changan)
    return make_user(role=Role.UNIT, organisation=unit)
