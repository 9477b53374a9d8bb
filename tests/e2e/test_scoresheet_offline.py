"""What an inspector types on site survives a dropped connection."""

from decimal import Decimal

import pytest

from inspections.models import SheetScore
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.inspections import factories

pytestmark = pytest.mark.browser


def _open_sheet_offline(page):
    """The world's inspector's sheet open on the page, the connection cut: (sheet, first indicator)."""
    world = World()
    inspection = factories.planned(world)
    sheet = inspection.sheets.get(inspector__user=world.inspector)
    indicator = inspection.application.version.categories.first().indicators.first()
    sign_in(page, world.inspector)
    page.goto(f"/inspections/sheets/{sheet.pk}/")
    page.went_offline = True
    page.context.set_offline(True)
    return sheet, indicator


@pytest.mark.django_db(transaction=True)
def test_a_score_saved_offline_reaches_the_server_when_the_connection_returns(page):
    sheet, indicator = _open_sheet_offline(page)
    page.get_by_test_id(f"comment-{indicator.pk}").fill("心理辅导室未单独设置")
    score = page.get_by_test_id(f"score-{indicator.pk}")
    score.fill("3.5")
    score.dispatch_event("change")
    page.locator(f"#indicator-{indicator.pk} [data-save-state]").get_by_text("已离线", exact=False).wait_for()
    assert not SheetScore.objects.filter(sheet=sheet).exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator(f"#indicator-{indicator.pk} [data-save-state]").get_by_text("已保存").wait_for()
    row = SheetScore.objects.get(sheet=sheet, indicator=indicator)
    assert (row.score, row.comment) == (Decimal("3.5"), "心理辅导室未单独设置")


@pytest.mark.django_db(transaction=True)
def test_a_sheet_closed_offline_gives_back_what_was_typed(page):
    sheet, indicator = _open_sheet_offline(page)
    page.get_by_test_id(f"score-{indicator.pk}").fill("4")
    page.close()

    reopened = page.context.new_page()
    page.context.set_offline(False)
    reopened.goto(f"/inspections/sheets/{sheet.pk}/")
    reopened.locator(f"#indicator-{indicator.pk} [data-save-state]").get_by_text("已保存").wait_for()
    assert SheetScore.objects.get(sheet=sheet, indicator=indicator).score == Decimal("4")
