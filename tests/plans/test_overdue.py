import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Plan, PlanStep, StepStatus
from tests.plans.factories import days_from_today, make_step


@pytest.fixture
def steps(world, sjz_plan):
    """Yesterday's open step is overdue; yesterday's done step, today's and tomorrow's are not."""
    operator = world.sjz_operator
    return {
        "late": make_step(
            plan=sjz_plan, operator=operator, deadline=days_from_today(-1), status=StepStatus.IN_PROGRESS
        ),
        "late_done": make_step(plan=sjz_plan, operator=operator, deadline=days_from_today(-1), status=StepStatus.DONE),
        "today": make_step(plan=sjz_plan, operator=operator, deadline=days_from_today(0)),
        "tomorrow": make_step(plan=sjz_plan, operator=operator, deadline=days_from_today(1)),
    }


def test_overdue_is_an_open_step_past_its_deadline(steps):
    today = timezone.localdate()
    assert list(PlanStep.objects.overdue(today)) == [steps["late"]]
    assert {name for name, step in steps.items() if step.is_overdue_on(today)} == {"late"}


def test_overdue_count_is_annotated_on_the_plans(world, sjz_plan, ts_plan, steps):
    today = timezone.localdate()
    counts = dict(Plan.objects.with_overdue_count(today).with_step_counts().values_list("pk", "overdue_count"))
    assert counts == {sjz_plan.pk: 1, ts_plan.pk: 0}
    plan = Plan.objects.with_step_counts().get(pk=sjz_plan.pk)
    assert (plan.step_count, plan.done_count) == (4, 1)
    assert list(Plan.objects.with_overdue_steps(today)) == [sjz_plan]
    assert list(Plan.objects.without_overdue_steps(today)) == [ts_plan]


@pytest.mark.parametrize("who", ["sjz_operator", "sjz_association", "province_staff"])
def test_overdue_rows_are_highlighted_on_the_plan(world, client_for, sjz_plan, steps, who):
    response = client_for(getattr(world, who)).get(reverse("plans:detail", kwargs={"pk": sjz_plan.pk}))
    content = response.content.decode()
    late = steps["late"].pk
    assert (
        f'<tr id="step-{late}" data-step="{late}" data-status="in_progress" data-overdue="1" class="table-danger">'
        in content
    )
    assert content.count('data-overdue="1" class="table-danger"') == 1
    assert content.count('data-overdue="0"') == 3
    assert 'data-overdue-count="1"' in content


def test_overdue_count_is_highlighted_in_the_list(world, client_for, sjz_plan, ts_plan, steps):
    response = client_for(world.province_staff).get(reverse("plans:list"))
    content = response.content.decode()
    assert '<span class="badge text-bg-danger" data-overdue="1">1</span>' in content
    assert content.count('data-overdue="0"') == 1
    rows = {plan.pk: (plan.done_count, plan.step_count, plan.overdue_count) for plan in response.context["page_obj"]}
    assert rows == {sjz_plan.pk: (1, 4, 1), ts_plan.pk: (0, 0, 0)}


@pytest.mark.parametrize(("overdue", "expected"), [("yes", "sjz"), ("no", "ts"), ("", "both")])
def test_overdue_filter_of_the_list(world, client_for, sjz_plan, ts_plan, steps, overdue, expected):
    response = client_for(world.province_staff).get(reverse("plans:list"), {"overdue": overdue})
    shown = {plan.pk for plan in response.context["page_obj"]}
    assert shown == {"sjz": {sjz_plan.pk}, "ts": {ts_plan.pk}, "both": {sjz_plan.pk, ts_plan.pk}}[expected]


def test_overdue_step_stops_being_overdue_once_done(world, sjz_plan, steps):
    services.set_step_status(actor=world.sjz_operator, step=steps["late"], status=StepStatus.DONE)
    assert PlanStep.objects.overdue(timezone.localdate()).count() == 0
