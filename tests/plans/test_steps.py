import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from plans import services
from plans.models import PlanStep, StepStatus
from tests.plans.factories import days_from_today, make_step, step_form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(world, client_for):
    return client_for(world.sjz_operator)


def create_url(plan):
    return reverse("plans:step-create", kwargs={"pk": plan.pk})


def progress_url(step):
    return reverse("plans:step-progress", kwargs={"pk": step.pk})


def test_steps_add_without_javascript_returns_to_the_plan(world, client, sjz_plan):
    response = client.post(create_url(sjz_plan), step_form_data(title="建立心理咨询室"))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("plans:detail", kwargs={"pk": sjz_plan.pk}) + "#plan-steps",
    )
    step = PlanStep.objects.get()
    assert (step.plan, step.order, step.title, step.status, step.done_on) == (
        sjz_plan,
        1,
        "建立心理咨询室",
        StepStatus.NOT_STARTED,
        None,
    )
    assert AuditRecord.objects.get(action="plan.step_add").object_id == str(step.pk)


def test_steps_add_with_htmx_returns_the_steps_section(world, client, sjz_plan):
    make_step(plan=sjz_plan, operator=world.sjz_operator)
    response = client.post(create_url(sjz_plan), step_form_data(title="第二步"), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="plan-steps"')
    assert content.count("data-step=") == 2
    assert list(sjz_plan.steps.in_order().values_list("order", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"deadline": "明年三月"}, "deadline"),
        ({"deadline": "2026-02-30"}, "deadline"),
        ({"deadline": ""}, "deadline"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"owner": ""}, "owner"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_steps_bad_input_changes_nothing_and_says_why_next_to_the_field(client, sjz_plan, values, field, htmx):
    response = client.post(create_url(sjz_plan), step_form_data(**values), **(HTMX if htmx else {}))
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in response.content.decode()
    assert PlanStep.objects.count() == 0
    assert AuditRecord.objects.filter(action="plan.step_add").count() == 0


def test_steps_the_add_page_works_without_javascript(client, sjz_plan):
    response = client.get(create_url(sjz_plan))
    assert response.status_code == 200
    assert 'data-testid="step-form"' in response.content.decode()


def test_steps_marking_done_records_the_day_and_audits_the_state_change(world, client, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    data = {f"step-{step.pk}-status": "done", f"step-{step.pk}-progress": "已完成挂牌。"}
    response = client.post(progress_url(step), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.status, step.done_on, step.progress) == (StepStatus.DONE, timezone.localdate(), "已完成挂牌。")
    record = AuditRecord.objects.get(action="plan.step_status")
    assert (record.actor, record.object_id, record.from_state, record.to_state) == (
        world.sjz_operator,
        str(step.pk),
        "not_started",
        "done",
    )
    assert record.details["changed"] == {"progress": ["", "已完成挂牌。"]}


def test_steps_leaving_done_clears_the_day(world, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator, status=StepStatus.DONE)
    step = services.set_step_status(actor=world.sjz_operator, step=step, status=StepStatus.IN_PROGRESS)
    step.refresh_from_db()
    assert (step.status, step.done_on) == (StepStatus.IN_PROGRESS, None)
    transitions = list(
        AuditRecord.objects.filter(action="plan.step_status").order_by("pk").values_list("from_state", "to_state")
    )
    assert transitions == [("not_started", "done"), ("done", "in_progress")]


def test_steps_progress_with_htmx_returns_the_row_and_the_summary(world, client, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    make_step(plan=sjz_plan, operator=world.sjz_operator)
    response = client.post(progress_url(step), {f"step-{step.pk}-status": "done"}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="step-{step.pk}"')
    assert 'data-status="done"' in content
    assert "data-saved" in content
    assert 'id="plan-summary"' in content
    assert 'hx-swap-oob="true"' in content
    assert 'data-done="1" data-total="2"' in content


@pytest.mark.parametrize("htmx", [False, True])
def test_steps_a_status_outside_the_choices_changes_nothing(world, client, sjz_plan, htmx):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator, progress="进行中")
    before = AuditRecord.objects.count()
    data = {f"step-{step.pk}-status": "finished", f"step-{step.pk}-progress": "改了"}
    response = client.post(progress_url(step), data, **(HTMX if htmx else {}))
    assert response.status_code == 200
    assert 'data-field-error="status"' in response.content.decode()
    step.refresh_from_db()
    assert (step.status, step.progress, AuditRecord.objects.count()) == ("not_started", "进行中", before)


def test_steps_service_refuses_a_status_outside_the_choices(world, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    with pytest.raises(ValidationError) as raised:
        services.update_step(actor=world.sjz_operator, step=step, status="finished")
    assert [error.code for error in raised.value.error_dict["status"]] == ["invalid_choice"]
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_STARTED


def test_steps_the_edit_page_changes_every_field(world, client, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    url = reverse("plans:step-update", kwargs={"pk": step.pk})
    assert client.get(url).status_code == 200
    data = step_form_data(title="改名", deadline="2030-06-30", owner="赵四", status="in_progress", progress="过半")
    response = client.post(url, data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title, step.deadline.isoformat(), step.owner, step.status, step.progress) == (
        "改名",
        "2030-06-30",
        "赵四",
        "in_progress",
        "过半",
    )


def test_steps_the_edit_page_with_a_bad_date_changes_nothing(world, client, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    response = client.post(
        reverse("plans:step-update", kwargs={"pk": step.pk}), step_form_data(title="改名", deadline="30/06/2030")
    )
    assert response.status_code == 200
    assert 'data-field-error="deadline"' in response.content.decode()
    step.refresh_from_db()
    assert step.title != "改名"


def test_steps_an_edit_without_a_status_change_is_audited_as_an_update(world, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    services.update_step(actor=world.sjz_operator, step=step, owner="赵四", deadline=days_from_today(3))
    record = AuditRecord.objects.get(action="plan.step_update")
    assert (record.from_state, record.to_state, sorted(record.details["changed"])) == ("", "", ["deadline", "owner"])


def test_steps_remove_closes_the_gap(world, client, sjz_plan):
    steps = [make_step(plan=sjz_plan, operator=world.sjz_operator, title=f"第{n}步") for n in (1, 2, 3)]
    response = client.post(reverse("plans:step-delete", kwargs={"pk": steps[0].pk}))
    assert response.status_code == 302
    assert list(sjz_plan.steps.in_order().values_list("title", "order")) == [("第2步", 1), ("第3步", 2)]
    assert AuditRecord.objects.get(action="plan.step_remove").details["title"] == "第1步"


def test_steps_move_swaps_with_the_neighbour(world, client, sjz_plan):
    steps = [make_step(plan=sjz_plan, operator=world.sjz_operator, title=f"第{n}步") for n in (1, 2, 3)]
    response = client.post(reverse("plans:step-move", kwargs={"pk": steps[2].pk}), {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert list(sjz_plan.steps.in_order().values_list("title", flat=True)) == ["第1步", "第3步", "第2步"]
    client.post(reverse("plans:step-move", kwargs={"pk": steps[0].pk}), {"direction": "up"})
    client.post(reverse("plans:step-move", kwargs={"pk": steps[0].pk}), {"direction": "sideways"})
    assert list(sjz_plan.steps.in_order().values_list("title", flat=True)) == ["第1步", "第3步", "第2步"]
    assert AuditRecord.objects.filter(action="plan.step_move").count() == 1


def test_steps_changes_move_the_plans_last_updated_time(world, sjz_plan):
    before = sjz_plan.updated_at
    make_step(plan=sjz_plan, operator=world.sjz_operator)
    sjz_plan.refresh_from_db()
    assert sjz_plan.updated_at > before
