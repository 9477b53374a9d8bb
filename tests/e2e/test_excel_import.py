"""Provincial staff import units from Excel in the browser: upload, watch the check's
progress bar finish, import, and find the imported unit in the organisations list."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from imports.layouts import LAYOUTS
from jobs.testing import worker_thread
from organisations.models import Organisation
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def _units_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(LAYOUTS["units"].headers)
    sheet.append(["91130100MA00000012", "浏览器导入中学", "学校", "长安区", "长安路1号", "赵六", "13812345678"])
    sheet.append(["91130100MA00000025", "浏览器导入社区", "社区", "唐山市", "", "", "0315-2345678"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_staff_imports_units_watches_the_progress_and_finds_the_unit(world, page):
    sign_in(page, world.province_staff)
    page.goto("/imports/")
    page.get_by_test_id("recent-imports-empty").wait_for()
    page.get_by_test_id("upload-units").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "单位.xlsx", "mimeType": "application/octet-stream", "buffer": _units_file()}
    )
    # The worker runs only while a job is waited for: SQLite's shared in-memory test
    # database locks whole tables, and an upload beside a polling worker would meet one.
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url("**/jobs/*/")
    with worker_thread():
        expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded", timeout=30_000)
    expect(page.get_by_test_id("job-progress-bar")).to_have_attribute("value", "100")
    assert page.get_by_test_id("check-good").inner_text() == "2"
    assert Organisation.objects.filter(code__startswith="91130100MA").count() == 0

    page.get_by_test_id("import-all").click()
    page.get_by_test_id("job-progress-bar").wait_for()
    with worker_thread():
        expect(page.get_by_test_id("import-written")).to_have_text("2", timeout=30_000)
    expect(page.get_by_test_id("job-progress-bar")).to_have_attribute("value", "100")
    page.get_by_test_id("import-open-result").click()
    page.wait_for_url("**/organisations/")
    page.goto("/organisations/?q=浏览器导入")
    expect(page.get_by_text("浏览器导入中学")).to_be_visible()
    expect(page.get_by_text("浏览器导入社区")).to_be_visible()
    school = Organisation.objects.get(name="浏览器导入中学")
    assert (school.parent_id, school.path) == (world.changan.pk, f"{world.changan.path}{school.pk}/")
