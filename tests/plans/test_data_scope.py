import pytest
from django.urls import reverse

from plans.models import Plan, PlanComment, PlanStep
from tests.plans.factories import make_step


def test_scope_association_sees_only_the_plans_of_its_subtree(world, sjz_plan, ts_plan):
    assert list(Plan.objects.visible_to(world.sjz_association)) == [sjz_plan]
    assert list(Plan.objects.visible_to(world.ts_association)) == [ts_plan]


def test_scope_unit_sees_only_its_own_plan(world, sjz_plan, ts_plan):
    assert list(Plan.objects.visible_to(world.sjz_operator)) == [sjz_plan]


def test_scope_province_sees_every_plan(world, sjz_plan, ts_plan):
    for user in (world.province_admin, world.province_staff):
        assert set(Plan.objects.visible_to(user)) == {sjz_plan, ts_plan}


@pytest.mark.parametrize("who", ["inspector", "system_admin", "security_admin", "audit_admin"])
def test_scope_other_roles_see_no_plan(world, sjz_plan, ts_plan, who):
    assert Plan.objects.visible_to(getattr(world, who)).count() == 0


def test_scope_association_of_another_city_gets_404_by_url(world, client_for, sjz_plan):
    client = client_for(world.ts_association)
    assert client.get(reverse("plans:detail", kwargs={"pk": sjz_plan.pk})).status_code == 404
    response = client.post(reverse("plans:comment-create", kwargs={"pk": sjz_plan.pk}), {"text": "越界评论"})
    assert response.status_code == 404
    assert PlanComment.objects.count() == 0


def test_scope_list_of_another_city_neither_shows_nor_counts(world, client_for, sjz_plan, ts_plan):
    client = client_for(world.ts_association)
    response = client.get(reverse("plans:list"))
    assert [plan.pk for plan in response.context["page_obj"]] == [ts_plan.pk]
    response = client.get(reverse("plans:list"), {"q": "石家庄"})
    assert response.context["page_obj"].paginator.count == 0
    assert f'data-plan="{sjz_plan.pk}"' not in response.content.decode()


def test_scope_list_filter_cannot_reach_outside_the_subtree(world, client_for, sjz_plan, ts_plan):
    """A city outside the viewer's area is not a choice: the filter is refused and the
    list stays the viewer's own."""
    client = client_for(world.ts_association)
    response = client.get(reverse("plans:list"), {"association": world.shijiazhuang.pk})
    assert [plan.pk for plan in response.context["page_obj"]] == [ts_plan.pk]
    choices = [value for value, _ in response.context["filter_form"].fields["association"].choices]
    assert str(world.shijiazhuang.pk) not in choices
    assert str(world.changan.pk) not in choices


def test_scope_unit_cannot_reach_another_units_plan(world, client_for, sjz_plan):
    step = make_step(plan=sjz_plan, operator=world.sjz_operator)
    client = client_for(world.ts_operator)
    gets = {
        "detail": reverse("plans:detail", kwargs={"pk": sjz_plan.pk}),
        "edit": reverse("plans:edit", kwargs={"pk": sjz_plan.pk}),
        "step-create": reverse("plans:step-create", kwargs={"pk": sjz_plan.pk}),
        "step-update": reverse("plans:step-update", kwargs={"pk": step.pk}),
    }
    assert {name: client.get(url).status_code for name, url in gets.items()} == dict.fromkeys(gets, 404)
    posts = {
        "edit": (reverse("plans:edit", kwargs={"pk": sjz_plan.pk}), {"goals": "篡改", "content": "篡改"}),
        "step-progress": (reverse("plans:step-progress", kwargs={"pk": step.pk}), {f"step-{step.pk}-status": "done"}),
        "step-delete": (reverse("plans:step-delete", kwargs={"pk": step.pk}), {}),
        "step-move": (reverse("plans:step-move", kwargs={"pk": step.pk}), {"direction": "up"}),
    }
    answers = {name: client.post(url, data).status_code for name, (url, data) in posts.items()}
    assert answers == dict.fromkeys(posts, 404)
    step.refresh_from_db()
    sjz_plan.refresh_from_db()
    assert (step.status, sjz_plan.goals, PlanStep.objects.count()) == ("not_started", "建成规范的心理疏导工作站。", 1)


def test_scope_unit_my_plan_is_its_own(world, client_for, ts_plan):
    response = client_for(world.sjz_operator).get(reverse("plans:mine"))
    assert response.status_code == 200
    assert response.context["form"] is not None
