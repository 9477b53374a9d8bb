"""Each chart's table downloads as .xlsx holding the same numbers, under the same filters."""

import io

import pytest
from openpyxl import load_workbook

from dashboard.selectors import CHART_KEYS
from tests.dashboard import factories
from tests.dashboard.test_figures import charts


@pytest.fixture
def built(world):
    return factories.build(world)


@pytest.mark.parametrize("key", CHART_KEYS)
def test_export_holds_the_numbers_of_the_table(world, built, client_for, key):
    client = client_for(world.province_staff)
    query = f"?area={world.shijiazhuang.pk}"
    table = charts(client, query)[key]
    response = client.get(f"/dashboard/export/{key}.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (table.label_header, *table.columns)
    assert [(row[0], list(row[1:])) for row in rows[1:]] == table.rows
    assert sheet.freeze_panes == "A2"


def test_export_of_an_unknown_chart_is_not_found(world, client_for):
    assert client_for(world.province_staff).get("/dashboard/export/nothing.xlsx").status_code == 404


def test_export_links_carry_the_filters(world, client_for):
    response = client_for(world.province_staff).get(f"/dashboard/?sector=school&area={world.tangshan.pk}")
    assert (
        f'href="/dashboard/export/funnel.xlsx?sector=school&amp;area={world.tangshan.pk}"'.encode() in response.content
    )
