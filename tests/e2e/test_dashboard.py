"""Provincial staff read the dashboard in the browser: charts, tables and the city filter."""

import pytest

from dashboard.selectors import CHART_KEYS
from tests.dashboard import factories
from tests.e2e.conftest import sign_in
from tests.factories import World

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_staff_reads_the_charts_switches_to_a_table_and_filters_by_city(page):
    world = World()
    factories.build(world)
    sign_in(page, world.province_staff)
    page.goto("/dashboard/")
    for key in CHART_KEYS:
        page.locator(f'[data-testid="canvas-{key}"][data-chart-drawn="true"] canvas').first.wait_for()

    table = page.get_by_test_id("table-funnel")
    assert not table.is_visible()
    page.get_by_test_id("toggle-funnel").click()
    table.wait_for()
    units = table.locator("td").first
    assert units.inner_text() == "4"

    page.locator("select[name=area]").select_option(label="唐山市")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url(f"**/dashboard/?*area={world.tangshan.pk}*")
    page.get_by_test_id("toggle-funnel").click()
    assert page.get_by_test_id("table-funnel").locator("td").first.inner_text() == "2"
    rows = page.get_by_test_id("table-by-area").locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th").text_content() == "唐山市"
    page.locator('[data-testid="canvas-funnel"][data-chart-drawn="true"] canvas').first.wait_for()
