"""The whole inspection in the browser: staff draw a team; three inspectors score on
phones; the leader finalises and the application is scored."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import State
from inspections.models import Inspection, InspectionStatus
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.inspections import factories

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _note_console_error(errors, message):
    # A row autosaved half-typed (the comment typed, its score not yet, when the machine is
    # slow enough for the one-second pause to pass) is answered 422 and its message shown
    # beside the field, as designed; the browser logs that answer as a console error.
    # Any other console error counts.
    if message.type == "error" and "status of 422" not in message.text:
        errors.append(message.text)


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _note_console_error(errors, message))
    page.on("dialog", lambda dialog: dialog.accept())
    return page, errors


def _score_everything(page, sheet_pk, indicator_ids, score):
    page.goto(f"/inspections/sheets/{sheet_pk}/")
    for indicator_id in indicator_ids:
        page.get_by_test_id(f"comment-{indicator_id}").fill("部分制度未上墙" if score != "5" else "")
        field = page.get_by_test_id(f"score-{indicator_id}")
        field.fill(score)
        field.dispatch_event("change")
        page.locator(f"#indicator-{indicator_id} [data-save-state]").get_by_text("已保存").wait_for()
    page.goto(f"/inspections/sheets/{sheet_pk}/")
    page.get_by_test_id("submit-sheet").click()
    page.wait_for_url("**/inspections/*/")


@pytest.mark.django_db(transaction=True)
def test_three_inspectors_score_on_phones_and_the_leader_finalises(page, browser, live_server):
    world = World()
    application = factories.awaiting(world)
    inspectors = factories.pool(world, 3)

    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, world.province_staff)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_test_id("plan-inspection").click()
    today = timezone.localdate().isoformat()  # sheets are submitted from the day of the visit on
    page.get_by_label("考察日期").fill(today)
    page.get_by_label("考察地点").fill("石家庄第一中学会议室")
    page.get_by_test_id("draw-team").click()
    page.get_by_test_id("draw-replays").wait_for()
    inspection = Inspection.objects.get(application=application)
    assert inspection.members.count() == 3

    indicator_ids = list(
        application.version.categories.order_by("order")
        .values_list("indicators__pk", flat=True)
        .order_by("order", "indicators__order")
    )
    leader = inspection.members.get(is_leader=True).inspector
    sheets = {s.inspector_id: s.pk for s in inspection.sheets.all()}
    scores = dict(zip([i.pk for i in inspectors], ["5", "4.5", "4"], strict=True))
    all_errors = []
    for inspector in inspectors:
        phone, errors = _phone(browser, live_server)
        sign_in(phone, inspector.user)
        # The home page's to-do list names the visit, its date and place, and opens the sheet.
        phone.goto("/")
        to_score = phone.locator("[data-todo='inspections.sheet']")
        expect(to_score.locator("[data-todo-detail]")).to_have_text(f"{today} · 石家庄第一中学会议室")
        expect(to_score.get_by_role("link")).to_have_attribute("href", f"/inspections/sheets/{sheets[inspector.pk]}/")
        _score_everything(phone, sheets[inspector.pk], indicator_ids, scores[inspector.pk])
        assert phone.get_by_test_id(f"sheet-status-{sheets[inspector.pk]}").inner_text().startswith("已提交")
        if inspector == leader:
            leader_phone = phone
        else:
            phone.context.close()
        all_errors += errors

    leader_phone.goto("/")
    leader_phone.locator("[data-todo='inspections.finalise']").get_by_role("link").click()
    leader_phone.get_by_test_id("finalise").click()
    leader_phone.get_by_test_id("result").wait_for()
    assert leader_phone.get_by_test_id("result-total").inner_text() == "90.00"
    assert leader_phone.get_by_test_id("recommendation").inner_text() == "达到命名标准"
    # Nothing on the phone page is wider than the screen.
    assert leader_phone.evaluate("document.documentElement.scrollWidth") <= 390
    leader_phone.context.close()

    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FINALISED
    assert inspection.application.state == State.SCORED
    assert all_errors == []
