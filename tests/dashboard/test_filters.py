"""The filters narrow every chart at once; bad values are told next to their field."""

import pytest

from tests.dashboard import factories
from tests.dashboard.test_figures import as_dict, charts


@pytest.fixture
def built(world):
    return factories.build(world)


def funnel(tables):
    return [values[0] for _label, values in tables["funnel"].rows]


def test_filters_by_city_narrow_every_chart(world, built, client_for):
    tables = charts(client_for(world.province_staff), f"?area={world.tangshan.pk}")
    assert funnel(tables) == [2, 0, 2, 1, 1, 0, 0]
    assert [label for label, _values in tables["by-area"].rows] == ["唐山市"]
    assert sum(sum(values) for _label, values in tables["by-sector"].rows) == 2
    assert tables["over-time"].rows == [("2026-04", [2, 1, 0])]
    assert [values[0] for _label, values in tables["stage-times"].rows] == [1, 1, 0, 0]
    assert tables["indicators"].rows == []
    assert as_dict(tables["area-scores"])["唐山市"] == [None, 0]
    assert "石家庄市" not in as_dict(tables["area-scores"])


def test_filters_by_sector_narrow_every_chart(world, built, client_for):
    tables = charts(client_for(world.province_staff), "?sector=school")
    assert funnel(tables) == [1, 1, 1, 1, 1, 1, 1]
    assert [sum(values) for _label, values in tables["by-area"].rows] == [1, 0]
    assert [values[0] for _label, values in tables["stage-times"].rows] == [1, 1, 1, 1]
    assert len(tables["indicators"].rows) == 20


def test_filters_by_month_keep_the_applications_submitted_in_the_period(world, built, client_for):
    tables = charts(client_for(world.province_staff), "?month_from=2026-04&month_to=2026-04")
    # Units and plans are not dated: only the applications follow the period.
    assert funnel(tables) == [4, 1, 2, 1, 1, 0, 0]
    assert tables["over-time"].rows == [("2026-04", [2, 1, 0])]
    assert [sum(values) for _label, values in tables["by-area"].rows] == [0, 2]


def test_filters_by_campaign_default_to_the_running_campaign(world, built, client_for):
    client = client_for(world.province_staff)
    response = client.get("/dashboard/")
    campaign = built.named.campaign
    assert response.context["campaign"] == campaign
    assert funnel(charts(client, f"?campaign={campaign.pk}")) == funnel(charts(client))


def test_filters_with_bad_values_answer_with_messages_next_to_the_fields(world, built, client_for):
    client = client_for(world.province_staff)
    response = client.get("/dashboard/?campaign=abc&area=999999&sector=xx&month_from=2026-13&month_to=tomorrow")
    assert response.status_code == 200
    errors = set(response.context["filter_form"].errors)
    assert errors == {"campaign", "area", "sector", "month_from", "month_to"}
    for name in errors:
        assert f'data-field-error="{name}"'.encode() in response.content
    # Every bad filter is left out: the figures are the unfiltered ones.
    assert funnel(response.context and {t.key: t for t in response.context["charts"]}) == funnel(charts(client))


def test_filters_with_months_in_the_wrong_order_are_refused_on_the_last_month(world, client_for):
    response = client_for(world.province_staff).get("/dashboard/?month_from=2026-05&month_to=2026-03")
    assert response.status_code == 200
    assert list(response.context["filter_form"].errors) == ["month_to"]


@pytest.mark.parametrize(
    "query",
    [
        "?area=-1",
        "?campaign=%00",
        "?month_from=0000-00",
        "?month_to=9999-99",
        "?sector=" + "x" * 5000,
        "?area=1&area=2",
    ],
)
def test_filters_with_garbage_never_fail(world, client_for, query):
    assert client_for(world.province_staff).get(f"/dashboard/{query}").status_code == 200
    assert client_for(world.province_staff).get(f"/dashboard/export/funnel.xlsx{query}").status_code == 200
