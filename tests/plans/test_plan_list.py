import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignStatus
from organisations.models import Kind, Sector
from tests.factories import make_organisation, make_user
from tests.plans.factories import make_plan

LIST = reverse("plans:list")


@pytest.fixture
def xinhua_plan(world):
    """A second plan of 石家庄, directly below the city rather than below 长安区."""
    unit = make_organisation(name="新华社区", parent=world.shijiazhuang, sector=Sector.COMMUNITY)
    return make_plan(operator=make_user(role="unit", organisation=unit))


def shown(response) -> set[int]:
    return {plan.pk for plan in response.context["page_obj"]}


def test_plan_list_association_filter_narrows_to_a_subtree(world, client_for, sjz_plan, ts_plan, xinhua_plan):
    client = client_for(world.province_staff)
    assert shown(client.get(LIST)) == {sjz_plan.pk, ts_plan.pk, xinhua_plan.pk}
    assert shown(client.get(LIST, {"association": world.shijiazhuang.pk})) == {sjz_plan.pk, xinhua_plan.pk}
    assert shown(client.get(LIST, {"association": world.changan.pk})) == {sjz_plan.pk}


def test_plan_list_association_sees_its_counties_as_choices(world, client_for):
    response = client_for(world.sjz_association).get(LIST)
    choices = dict(response.context["filter_form"].fields["association"].choices)
    assert sorted(choices) == ["", str(world.changan.pk)]
    assert choices[str(world.changan.pk)] == "石家庄市 · 长安区"


def test_plan_list_sector_and_search(world, client_for, sjz_plan, ts_plan, xinhua_plan):
    client = client_for(world.sjz_association)
    assert shown(client.get(LIST, {"sector": Sector.COMMUNITY})) == {xinhua_plan.pk}
    assert shown(client.get(LIST, {"q": "第一中学"})) == {sjz_plan.pk}


def test_plan_list_shows_the_parent_organisation(world, client_for, sjz_plan):
    content = client_for(world.sjz_association).get(LIST).content.decode()
    assert f'data-plan="{sjz_plan.pk}"' in content
    assert "长安区" in content


def test_plan_list_of_a_past_campaign(world, client_for, sjz_plan):
    Campaign.objects.filter(pk=sjz_plan.campaign_id).update(status=CampaignStatus.CLOSED)
    client = client_for(world.province_staff)
    response = client.get(LIST)
    assert (response.status_code, response.context["campaign"]) == (200, None)
    assert 'data-testid="no-campaign"' in response.content.decode()
    response = client.get(LIST, {"campaign": sjz_plan.campaign_id})
    assert shown(response) == {sjz_plan.pk}


def test_plan_list_ignores_garbage_filters(world, client_for, sjz_plan):
    response = client_for(world.sjz_association).get(LIST, {"association": "x", "overdue": "maybe", "page": "-1"})
    assert (response.status_code, shown(response)) == (200, {sjz_plan.pk})


def test_plan_list_empty_says_where_plans_come_from(world, client_for):
    make_organisation(name="空的系统", kind=Kind.SYSTEM, parent=world.province)
    response = client_for(world.sjz_association).get(LIST)
    assert 'data-testid="plan-list-empty"' in response.content.decode()
