"""What the unit types survives a dropped connection and a closed tab."""

from decimal import Decimal

import pytest

from applications import services
from applications.models import ApplicationIndicator
from campaigns.selectors import current_campaign
from tests.e2e.conftest import sign_in
from tests.factories import World

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_scores_typed_offline_are_sent_when_the_connection_returns(page):
    world = World()
    application = services.start_application(actor=world.sjz_operator, unit=world.sjz_unit, campaign=current_campaign())
    row = application.indicators.order_by("indicator__category__order", "indicator__order").first()
    sign_in(page, world.sjz_operator)
    page.goto(f"/applications/{application.pk}/assessment/")

    page.went_offline = True
    page.context.set_offline(True)
    field = page.get_by_test_id(f"score-{row.indicator_id}")
    field.fill("4.5")
    field.dispatch_event("change")
    page.locator(f"#indicator-{row.indicator_id} [data-save-state]").get_by_text("网络已断开", exact=False).wait_for()
    assert ApplicationIndicator.objects.get(pk=row.pk).score is None

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator(f"#indicator-{row.indicator_id} [data-save-state]").get_by_text("已保存").wait_for()
    assert ApplicationIndicator.objects.get(pk=row.pk).score == Decimal("4.5")


@pytest.mark.django_db(transaction=True)
def test_a_tab_closed_before_saving_gives_back_what_was_typed(page):
    world = World()
    application = services.start_application(actor=world.sjz_operator, unit=world.sjz_unit, campaign=current_campaign())
    row = application.indicators.order_by("indicator__category__order", "indicator__order").first()
    sign_in(page, world.sjz_operator)
    page.goto(f"/applications/{application.pk}/assessment/")

    page.went_offline = True
    page.context.set_offline(True)
    page.get_by_test_id(f"account-{row.indicator_id}").fill("建立了心理咨询室")
    page.close()

    reopened = page.context.new_page()
    page.context.set_offline(False)
    reopened.goto(f"/applications/{application.pk}/assessment/")
    reopened.locator(f"#indicator-{row.indicator_id} [data-save-state]").get_by_text("已保存").wait_for()
    assert ApplicationIndicator.objects.get(pk=row.pk).account == "建立了心理咨询室"
    assert reopened.get_by_test_id(f"account-{row.indicator_id}").input_value() == "建立了心理咨询室"
