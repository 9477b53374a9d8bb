"""Two tabs or two operators of one unit editing its plan: the second save is refused."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.concurrency import assert_refused, audit_count, edit_token
from tests.factories import make_user
from tests.plans.factories import make_step, step_form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def first(world, client_for):
    return client_for(world.sjz_operator)


@pytest.fixture
def second_operator(world):
    return make_user(role=Role.UNIT, organisation=world.sjz_unit, username="sjzunit2")


@pytest.fixture
def second(second_operator, client_for):
    return client_for(second_operator)


def test_concurrent_edits_of_a_plan_refuse_the_second_save(first, second, second_operator, sjz_plan):
    url = reverse("plans:edit", kwargs={"pk": sjz_plan.pk})
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, {"goals": "乙的目标", "content": "乙的内容", "edit_token": token_second}).status_code == 302
    before = audit_count()

    refused = first.post(url, {"goals": "甲的目标", "content": "甲的内容", "edit_token": token_first})

    assert_refused(refused, typed="甲的内容", by=second_operator.username)
    assert "乙的内容" in refused.content.decode()
    sjz_plan.refresh_from_db()
    assert (sjz_plan.goals, sjz_plan.content) == ("乙的目标", "乙的内容")
    assert audit_count() == before


def test_concurrent_edits_of_a_plan_single_save_works(first, sjz_plan):
    url = reverse("plans:edit", kwargs={"pk": sjz_plan.pk})
    token = edit_token(first.get(url))

    assert first.post(url, {"goals": "新目标", "content": "新内容", "edit_token": token}).status_code == 302

    sjz_plan.refresh_from_db()
    assert sjz_plan.goals == "新目标"


def test_concurrent_edits_of_a_step_refuse_the_second_save(world, first, second, second_operator, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator, title="建立咨询室")
    url = reverse("plans:step-update", kwargs={"pk": step.pk})
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert (
        second.post(url, step_form_data(title="乙改的标题", status="not_started", edit_token=token_second)).status_code
        == 302
    )
    before = audit_count()

    refused = first.post(url, step_form_data(title="甲改的标题", status="not_started", edit_token=token_first))

    assert_refused(refused, typed="甲改的标题", by=second_operator.username)
    step.refresh_from_db()
    assert step.title == "乙改的标题"
    assert audit_count() == before


def test_concurrent_edits_of_a_step_single_save_works(world, first, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    url = reverse("plans:step-update", kwargs={"pk": step.pk})
    token = edit_token(first.get(url))

    assert first.post(url, step_form_data(title="改名", status="not_started", edit_token=token)).status_code == 302

    step.refresh_from_db()
    assert step.title == "改名"


@pytest.mark.parametrize("htmx", [False, True])
def test_concurrent_edits_of_a_steps_progress_refuse_the_second_save(world, first, second, sjz_plan, htmx):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    page = reverse("plans:detail", kwargs={"pk": sjz_plan.pk})
    url = reverse("plans:step-progress", kwargs={"pk": step.pk})
    name = f"step-{step.pk}-edit_token"
    token_first, token_second = edit_token(first.get(page), name), edit_token(second.get(page), name)
    prefix = f"step-{step.pk}-"
    saved = second.post(url, {f"{prefix}status": "in_progress", f"{prefix}progress": "乙：过半", name: token_second})
    assert saved.status_code == 302
    before = audit_count()

    refused = first.post(
        url,
        {f"{prefix}status": "done", f"{prefix}progress": "甲：已完成", name: token_first},
        **(HTMX if htmx else {}),
    )

    assert_refused(refused, typed="甲：已完成")
    assert "乙：过半" in refused.content.decode()
    step.refresh_from_db()
    assert (step.status, step.progress) == ("in_progress", "乙：过半")
    assert audit_count() == before
    # The row shown again carries the current token: saving once more goes through.
    again = first.post(
        url, {f"{prefix}status": "done", f"{prefix}progress": "甲：已完成", name: edit_token(refused, name)}
    )
    assert again.status_code == 302
