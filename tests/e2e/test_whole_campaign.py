"""The whole campaign in a browser, as its people walk it (issue 17): the unit plans and
applies; the office returns it, the unit resubmits, the office passes it; a team is
drawn; three inspectors score on phones; the leader finalises; the administrator names
the unit; a visitor verifies the certificate. On the way: each role's to-do list leads
to the next step, the unit learns of its inspection, the timeline reads in Chinese, and
the team's scores are exact (15 indicators at 4 / 4.5 / 4.5 and 5 at 4 / 4 / 4 make
exactly 85.00, which meets the threshold: rounded means made it 84.95 before)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, State
from campaigns.selectors import current_campaign, current_version
from designations.models import Designation
from inspections.models import Inspection, InspectionStatus
from materials.models import Material
from materials.services import upload_material
from notifications.models import Notification
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.inspections import factories
from tests.materials import factories as files

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _note_console_error(errors, message):
    # A row autosaved half-typed (its comment typed, its score not yet, on a slow machine)
    # is answered 422 and its message shown beside the field, as designed.
    if message.type == "error" and "status of 422" not in message.text:
        errors.append(message.text)


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.on("console", lambda message: _note_console_error(errors, message))
    phone.on("dialog", lambda dialog: dialog.accept())
    return phone, errors


def _todo(page, key):
    """The home page's to-do item `key`, once the home page shows it."""
    page.goto("/")
    item = page.locator(f"[data-todo='{key}']").first
    expect(item).to_be_visible()
    return item


def _switch(page, user):
    page.context.clear_cookies()
    sign_in(page, user)


def _score_sheet(phone, scores):
    """Score every indicator of the open sheet (a comment under every score below the
    maximum), then submit it."""
    for indicator_id, score in scores.items():
        phone.get_by_test_id(f"comment-{indicator_id}").fill("部分制度未上墙")
        field = phone.get_by_test_id(f"score-{indicator_id}")
        field.fill(score)
        field.dispatch_event("change")
        phone.locator(f"#indicator-{indicator_id} [data-save-state]").get_by_text("已保存").wait_for()
    phone.reload()
    phone.get_by_test_id("submit-sheet").click()
    phone.wait_for_url("**/inspections/*/")


@pytest.mark.django_db(transaction=True)
def test_the_whole_campaign_from_plan_to_verified_certificate(page, browser, live_server):
    world = World()
    page.on("dialog", lambda dialog: dialog.accept())
    campaign = current_campaign()
    unit, operator = world.sjz_unit, world.sjz_operator
    pool = factories.pool(world, 3)
    # The evidence of every indicator and the work summary were uploaded before.
    version = current_version(campaign)
    standard = [i for category in version.categories.order_by("order") for i in category.indicators.order_by("order")]
    indicators = [indicator.pk for indicator in standard]
    for indicator in standard:
        upload_material(
            actor=operator,
            unit=unit,
            campaign=campaign,
            kind=Material.Kind.EVIDENCE,
            indicator=indicator,
            file=files.pdf_upload(f"佐证{indicator.pk}.pdf"),
        )
    upload_material(
        actor=operator, unit=unit, campaign=campaign, kind=Material.Kind.WORK_SUMMARY, file=files.pdf_upload()
    )

    # (一) The unit's home page asks for the creation plan first; it writes it with a step.
    sign_in(page, operator)
    _todo(page, "plans.create").get_by_role("link").click()
    page.locator("#id_goals").fill("年内建成人文关怀心理疏导示范点。")
    page.locator("#id_content").fill("设立心理咨询室，组建志愿者队伍。")
    page.get_by_test_id("plan-save").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    form = page.get_by_test_id("step-add-form")
    form.locator("#id_title").fill("建立心理咨询室")
    form.locator("#id_deadline").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    form.locator("#id_owner").fill("王红")
    form.get_by_test_id("step-add").click()
    expect(page.locator("[data-step]")).to_have_count(1)
    expect(_todo(page, "plans.step_next")).to_contain_text("建立心理咨询室")

    # (二) Then its application: it self-assesses every indicator at 5 and submits.
    page.locator("[data-todo='applications.start'] a").click()
    page.get_by_test_id("start-assessment").click()
    page.wait_for_url("**/assessment/")
    for indicator_id in indicators:
        field = page.get_by_test_id(f"score-{indicator_id}")
        field.fill("5")
        field.dispatch_event("change")
        page.locator(f"#indicator-{indicator_id} [data-save-state]").get_by_text("已保存").wait_for()
    page.get_by_test_id("submit-application").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    application = Application.objects.get(unit=unit)
    assert application.state == State.SUBMITTED

    # (三) The office registers it from its to-do list and returns it with reasons.
    _switch(page, world.province_staff)
    to_register = _todo(page, "applications.register")
    expect(to_register.locator("[data-todo-count]")).to_have_text("1")
    to_register.get_by_role("link").click()
    page.locator(f"[data-application='{application.pk}'] a").click()
    page.get_by_test_id("register").click()
    code = f"{timezone.localdate().year}-00001"
    expect(page.get_by_test_id("registration-code")).to_have_text(code)
    page.get_by_test_id("review").click()
    page.get_by_label("退回补充").check()
    page.get_by_label("理由").fill("请补充心理咨询室照片")
    page.get_by_test_id("record-review").click()
    page.wait_for_url(f"**/applications/{application.pk}/")

    # The unit reads the return first on its home page, and resubmits as it is.
    _switch(page, operator)
    returned = _todo(page, "applications.returned")
    expect(returned.locator("[data-todo-detail]")).to_have_text("请补充心理咨询室照片")
    returned.get_by_role("link").click()
    page.get_by_test_id("submit-application").click()
    page.wait_for_url(f"**/applications/{application.pk}/")

    # Back under review with its number: the office passes it, no second registration.
    _switch(page, world.province_staff)
    _todo(page, "applications.review").get_by_role("link").click()
    page.locator(f"[data-application='{application.pk}'] a").click()
    expect(page.get_by_test_id("register")).to_have_count(0)
    page.get_by_test_id("review").click()
    page.get_by_label("通过，进入实地考察").check()
    page.get_by_test_id("record-review").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    # The timeline reads in Chinese, never in codes.
    timeline = page.get_by_test_id("timeline").locator("[data-event-label]")
    expect(timeline.last).to_have_text("通过初审 (已登记 → 待实地考察)")
    assert not any(re.search(r"[a-z_]+\.[a-z_]+|awaiting_inspection", text) for text in timeline.all_inner_texts())

    # The office draws a team for today's visit from its to-do list.
    _todo(page, "inspections.plan").get_by_role("link").click()
    page.get_by_test_id(f"plan-{application.pk}").click()
    page.wait_for_url(f"**/inspections/plan/{application.pk}/")
    today = timezone.localdate().isoformat()
    page.get_by_label("考察日期").fill(today)
    page.get_by_label("考察地点").fill("石家庄第一中学会议室")
    page.get_by_test_id("draw-team").click()
    page.get_by_test_id("draw-replays").wait_for()
    inspection = Inspection.objects.get(application=application)
    leader = inspection.members.get(is_leader=True).inspector

    # The unit learns of it: a notification, its home page and its application page.
    assert Notification.objects.filter(recipient=operator, kind="inspection.unit_planned").exists()
    _switch(page, operator)
    visit = _todo(page, "inspections.visit")
    expect(visit.locator("[data-todo-detail]")).to_have_text(f"{today} · 石家庄第一中学会议室 · 组长 {leader.name}")
    page.goto(f"/applications/{application.pk}/")
    expect(page.get_by_test_id("coming-visit")).to_contain_text(f"组长 {leader.name}")

    # Three inspectors score on phones, each from its to-do list: 15 indicators at 4 / 4.5 / 4.5, 5 at 4.
    sheets = {s.inspector_id: s.pk for s in inspection.sheets.all()}
    all_errors = []
    for index, inspector in enumerate(pool):
        phone, errors = _phone(browser, live_server)
        sign_in(phone, inspector.user)
        phone.goto("/")
        phone.locator("[data-todo='inspections.sheet'] a").click()
        phone.wait_for_url(f"**/inspections/sheets/{sheets[inspector.pk]}/")
        high = "4" if index == 0 else "4.5"
        _score_sheet(phone, {pk: (high if n < 15 else "4") for n, pk in enumerate(indicators)})
        if inspector == leader:
            leader_phone = phone
        else:
            phone.context.close()
        all_errors += errors

    # The leader finalises from its to-do list: the exact figures, shown rounded only at the end.
    leader_phone.goto("/")
    leader_phone.locator("[data-todo='inspections.finalise'] a").click()
    leader_phone.get_by_test_id("finalise").click()
    expect(leader_phone.get_by_test_id("result-total")).to_have_text("85.00")
    expect(leader_phone.get_by_test_id("recommendation")).to_have_text("达到命名标准")
    team_row = leader_phone.locator("[data-testid=inspector-totals] [data-inspector=team] td")
    assert team_row.all_inner_texts()[1:] == ["21.67", "21.67", "21.67", "20.00", "85.00"]
    assert leader_phone.evaluate("document.documentElement.scrollWidth") <= 390
    leader_phone.context.close()
    assert all_errors == []
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FINALISED

    # The administrator names the unit from its to-do list.
    _switch(page, world.province_admin)
    _todo(page, "designations.name").get_by_role("link").click()
    page.get_by_test_id(f"choose-{application.pk}").check()
    page.get_by_label("文号").fill(f"冀研字〔{timezone.localdate().year}〕12号")
    page.get_by_test_id("announce").click()
    page.get_by_test_id("named-sites").wait_for()
    number = Designation.objects.get(application=application).certificate_number
    # …and the unit finds its certificate on its home page.
    _switch(page, operator)
    expect(_todo(page, "designations.certificate")).to_contain_text(number)

    # A visitor, without signing in, verifies the certificate's number.
    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    visitor.goto("/showcase/verify/")
    visitor.locator("#id_number").fill(number)
    visitor.locator("#id_number").press("Enter")
    expect(visitor.get_by_test_id("verify-result")).to_have_attribute("data-result", "valid")
    visitor.context.close()
