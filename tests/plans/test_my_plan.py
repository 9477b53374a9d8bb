import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditRecord
from campaigns.models import Campaign, CampaignStatus
from campaigns.selectors import current_campaign
from plans.models import Plan
from tests.plans.factories import make_plan

MINE = reverse("plans:mine")


def test_my_plan_without_a_plan_shows_what_to_do_and_the_form(world, client_for):
    response = client_for(world.sjz_operator).get(MINE)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="plan-empty"' in content
    assert 'data-testid="plan-form"' in content
    assert response.context["campaign"] == current_campaign()


def test_my_plan_create_makes_the_plan_of_the_unit_and_audits_it(world, client_for):
    response = client_for(world.sjz_operator).post(MINE, {"goals": "  建成示范点。 ", "content": "设立心理咨询室。"})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", kwargs={"pk": plan.pk})
    assert (plan.unit, plan.campaign, plan.goals, plan.content) == (
        world.sjz_unit,
        current_campaign(),
        "建成示范点。",
        "设立心理咨询室。",
    )
    record = AuditRecord.objects.get(action="plan.create")
    assert (record.actor, record.object_id) == (world.sjz_operator, str(plan.pk))


def test_my_plan_with_a_plan_opens_it(world, client_for, sjz_plan):
    response = client_for(world.sjz_operator).get(MINE)
    assert (response.status_code, response["Location"]) == (302, reverse("plans:detail", kwargs={"pk": sjz_plan.pk}))


@pytest.mark.parametrize("field", ["goals", "content"])
def test_my_plan_create_with_an_empty_field_changes_nothing(world, client_for, field):
    data = {"goals": "目标", "content": "内容", field: "   "}
    response = client_for(world.sjz_operator).post(MINE, data)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in response.content.decode()
    assert Plan.objects.count() == 0
    assert AuditRecord.objects.filter(action="plan.create").count() == 0


def test_my_plan_without_a_running_campaign_says_so_and_refuses_to_create(world, client_for):
    Campaign.objects.update(status=CampaignStatus.CLOSED)
    client = client_for(world.sjz_operator)
    response = client.get(MINE)
    assert response.status_code == 200
    assert 'data-testid="no-campaign"' in response.content.decode()
    assert client.post(MINE, {"goals": "目标", "content": "内容"}).status_code == 403
    assert Plan.objects.count() == 0


def test_my_plan_a_second_plan_for_the_same_campaign_is_refused(world, sjz_plan):
    with pytest.raises(ValidationError):
        make_plan(operator=world.sjz_operator)
    assert Plan.objects.count() == 1


def test_my_plan_edit_saves_and_audits_what_changed(world, client_for, sjz_plan):
    url = reverse("plans:edit", kwargs={"pk": sjz_plan.pk})
    response = client_for(world.sjz_operator).post(url, {"goals": "新目标", "content": sjz_plan.content})
    assert response.status_code == 302
    sjz_plan.refresh_from_db()
    assert sjz_plan.goals == "新目标"
    record = AuditRecord.objects.get(action="plan.update")
    assert record.details == {"changed": {"goals": ["建成规范的心理疏导工作站。", "新目标"]}}


def test_my_plan_edit_with_an_empty_content_changes_nothing(world, client_for, sjz_plan):
    url = reverse("plans:edit", kwargs={"pk": sjz_plan.pk})
    response = client_for(world.sjz_operator).post(url, {"goals": "新目标", "content": ""})
    assert response.status_code == 200
    assert 'data-field-error="content"' in response.content.decode()
    sjz_plan.refresh_from_db()
    assert sjz_plan.goals == "建成规范的心理疏导工作站。"
    assert AuditRecord.objects.filter(action="plan.update").count() == 0


def test_my_plan_after_the_campaign_closed_is_kept_as_it_was(world, client_for, sjz_plan):
    Campaign.objects.filter(pk=sjz_plan.campaign_id).update(status=CampaignStatus.CLOSED)
    client = client_for(world.sjz_operator)
    detail = client.get(reverse("plans:detail", kwargs={"pk": sjz_plan.pk}))
    assert detail.status_code == 200
    assert detail.context["can_edit"] is False
    assert 'data-testid="step-add-form"' not in detail.content.decode()
    assert client.get(reverse("plans:edit", kwargs={"pk": sjz_plan.pk})).status_code == 403
    response = client.post(reverse("plans:step-create", kwargs={"pk": sjz_plan.pk}), {"title": "晚了"})
    assert response.status_code == 403
    assert sjz_plan.steps.count() == 0
