"""The audit administrator searches the log, opens a record, verifies the chain and
exports the search, all through the pages."""

import pytest
from playwright.sync_api import expect

from audit.services import record_event
from jobs.testing import worker_thread
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_audit_administrator_searches_opens_verifies_and_exports(world, page):
    record_event(actor=world.sjz_operator, action="plan.update", obj=world.sjz_unit, details={"changed": {}})
    record_event(actor=world.ts_operator, action="plan.update", obj=world.ts_unit)
    sign_in(page, world.audit_admin)
    page.goto("/audit/")
    page.get_by_label("用户名").fill("sjzunit")
    page.get_by_test_id("audit-search").click()
    rows = page.get_by_test_id("audit-records").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-action", "plan.update")

    rows.first.locator("a").click()
    expect(page.get_by_test_id("audit-record-action")).to_have_text("plan.update")
    expect(page.get_by_test_id("audit-record")).to_contain_text("石家庄第一中学")

    with worker_thread():
        page.goto("/audit/verify/")
        page.get_by_test_id("audit-verify").click()
        page.wait_for_url("**/jobs/*/")
        expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded", timeout=30_000)
        expect(page.get_by_test_id("audit-verify-result")).to_have_attribute("data-intact", "true")

        page.goto("/audit/?user=sjzunit")
        page.get_by_test_id("audit-export").click()
        page.wait_for_url("**/jobs/*/")
        expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded", timeout=30_000)
        expect(page.get_by_test_id("export-result")).to_have_attribute("data-rows", "1")
