"""A unit fills its self-assessment and applies; the office registers, returns, and after
the unit's supplement passes it to inspection: the whole of steps (二) and (三)-first-half."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import Application, State
from campaigns.selectors import current_campaign
from materials.models import Material
from materials.services import upload_material
from tests.e2e.conftest import open_menu_item, sign_in
from tests.factories import World
from tests.materials import factories as files

pytestmark = pytest.mark.browser


def _save_of(indicator_id):
    """The answer to the autosave of one indicator's row."""
    return lambda response: f"/indicators/{indicator_id}/" in response.url and response.request.method == "POST"


def sign_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_unit_applies_office_returns_unit_resubmits_office_passes(page, tmp_path):
    world = World()
    page.on("dialog", lambda dialog: dialog.accept())
    campaign = current_campaign()
    operator = world.sjz_operator
    application = services.start_application(actor=operator, unit=world.sjz_unit, campaign=campaign)
    rows = list(
        application.indicators.select_related("indicator").order_by("indicator__category__order", "indicator__order")
    )
    first, others = rows[0], rows[1:]
    # The other nineteen indicators' evidence and the work summary were uploaded earlier.
    for row in others:
        upload_material(
            actor=operator,
            unit=world.sjz_unit,
            campaign=campaign,
            kind=Material.Kind.EVIDENCE,
            indicator=row.indicator,
            file=files.pdf_upload(f"佐证{row.indicator_id}.pdf"),
        )
    upload_material(
        actor=operator,
        unit=world.sjz_unit,
        campaign=campaign,
        kind=Material.Kind.WORK_SUMMARY,
        file=files.pdf_upload("工作总结.pdf"),
    )
    photo = tmp_path / "心理辅导室.jpg"
    photo.write_bytes(files.JPEG)

    # The unit scores every indicator in the page; each row saves itself.
    sign_in(page, operator)
    open_menu_item(page, "applications:mine")
    for row in rows:
        field = page.get_by_test_id(f"score-{row.indicator_id}")
        field.fill("5")
        field.dispatch_event("change")
        page.locator(f"#indicator-{row.indicator_id} [data-save-state]").get_by_text("已保存").wait_for()
    page.get_by_test_id(f"account-{first.indicator_id}").fill("成立了人文关怀心理疏导工作领导小组")
    # The row already says 已保存 from its score: wait for this save's answer itself, or the
    # submission below can overtake it (the late save then meets a submitted application).
    with page.expect_response(_save_of(first.indicator_id)):
        page.get_by_test_id(f"account-{first.indicator_id}").dispatch_event("change")
    page.locator("[data-total='100']").wait_for()
    # …and uploads the evidence of the first indicator.
    section = page.get_by_test_id(f"evidence-{first.indicator_id}")
    section.locator("[data-upload-form] input[type=file]").set_input_files(str(photo))
    section.locator("[data-upload-form] button[type=submit]").click()
    page.locator(f"[data-testid=evidence-{first.indicator_id}][data-evidence-count='1']").wait_for()
    page.get_by_test_id("submit-application").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    application.refresh_from_db()
    assert (application.state, application.snapshots.get().data["total"]) == (State.SUBMITTED, "100")
    sign_out(page)

    # The office finds it on its to-do list, registers it and returns it with a note on the first indicator.
    sign_in(page, world.province_staff)
    page.goto("/")
    to_register = page.locator("[data-todo='applications.register']")
    expect(to_register.locator("[data-todo-count]")).to_have_text("1")
    to_register.get_by_role("link").click()
    page.locator(f"[data-application='{application.pk}'] a").click()
    page.get_by_test_id("register").click()
    code = f"{timezone.localdate().year}-00001"  # the year of registration and the year's serial
    page.get_by_test_id("registration-code").filter(has_text=code).wait_for()
    page.get_by_test_id("review").click()
    page.get_by_test_id(f"note-{first.indicator_id}").fill("请补充领导小组成立文件")
    page.get_by_label("退回补充").check()
    page.get_by_label("理由").fill("佐证材料不完整")
    page.get_by_test_id("record-review").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.state == State.RETURNED
    sign_out(page)

    # The unit's home page puts the return first, with the reasons; the note is by the indicator.
    sign_in(page, operator)
    page.goto("/")
    returned = page.locator("[data-todo]").first
    expect(returned).to_have_attribute("data-todo", "applications.returned")
    expect(returned.locator("[data-todo-detail]")).to_have_text("佐证材料不完整")
    returned.get_by_role("link").click()
    page.wait_for_url(f"**/applications/{application.pk}/assessment/")
    assert (
        page.locator(f"[data-review-note='{first.indicator_id}']").inner_text()
        == "省政研会意见： 请补充领导小组成立文件"
    )
    page.get_by_test_id(f"account-{first.indicator_id}").fill("成立了领导小组，附成立文件")
    with page.expect_response(_save_of(first.indicator_id)):
        page.get_by_test_id(f"account-{first.indicator_id}").dispatch_event("change")
    page.get_by_test_id("submit-application").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    sign_out(page)

    # The resubmission is back under review with its number: the office passes it, no second registration.
    sign_in(page, world.province_staff)
    page.goto(f"/applications/{application.pk}/")
    expect(page.get_by_test_id("registration-code")).to_have_text(code)
    expect(page.get_by_test_id("register")).to_have_count(0)
    page.get_by_test_id("review").click()
    page.get_by_label("通过，进入实地考察").check()
    page.get_by_test_id("record-review").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    application = Application.objects.get(pk=application.pk)
    assert (application.state, application.registration_number, application.round) == (
        State.AWAITING_INSPECTION,
        1,
        2,
    )
    assert [s.data["indicators"][0]["account"] for s in application.snapshots.order_by("round")] == [
        "成立了人文关怀心理疏导工作领导小组",
        "成立了领导小组，附成立文件",
    ]
    assert page.get_by_test_id("timeline").locator("[data-action]").evaluate_all(
        "items => items.map(i => i.dataset.action)"
    )[-5:] == [
        "application.submit",
        "application.register",
        "application.return",
        "application.resubmit",
        "application.pass",
    ]
    # The timeline reads in Chinese: the step's name and the states, never their codes.
    last_step = page.get_by_test_id("timeline").locator("[data-event-label]").last
    expect(last_step).to_have_text("通过初审 (已登记 → 待实地考察)")
    assert Decimal(application.snapshots.get(round=2).data["total"]) == Decimal("100")
