"""Provincial staff add an expert to the pool, declare a conflict and find the expert in
the list with the phone number masked."""

import pytest

from inspections.models import Conflict, Inspector
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_staff_adds_an_expert_declares_a_conflict_and_sees_the_masked_phone(world, page):
    sign_in(page, world.province_staff)
    page.goto("/inspections/experts/")
    page.get_by_test_id("empty").wait_for()
    page.get_by_test_id("expert-create").click()

    form = page.get_by_test_id("expert-form")
    form.locator("#id_name").fill("李明")
    form.locator("#id_employer").fill("河北师范大学")
    form.locator("#id_area").select_option(label="石家庄市")
    form.locator("#id_specialities").fill("心理咨询")
    form.locator("#id_phone").fill("13812345678")
    page.get_by_test_id("expert-save").click()
    page.wait_for_selector(".alert-success")
    inspector = Inspector.objects.get()
    assert (inspector.name, inspector.area, inspector.phone) == ("李明", world.shijiazhuang, "13812345678")

    conflict_form = page.get_by_test_id("conflict-form")
    conflict_form.locator("#id_organisation").fill("唐山钢铁")
    conflict_form.locator("#id_reason").fill("亲属任职")
    page.get_by_test_id("conflict-add").click()
    page.get_by_test_id("conflicts").wait_for()
    assert page.locator("[data-conflict-name]").all_inner_texts() == ["唐山钢铁公司"]
    assert list(Conflict.objects.values_list("organisation", flat=True)) == [world.ts_unit.pk]

    page.locator(".breadcrumb a[href='/inspections/experts/']").click()
    page.get_by_test_id("expert-table").wait_for()
    row = page.locator(f"[data-expert='{inspector.pk}']")
    assert row.locator("[data-phone] [data-personal-number]").inner_text() == "138****5678"
    assert "13812345678" not in page.content()
