"""An association exports its units: it starts the export, watches the job's progress
bar reach the end, downloads the workbook and the file opens with its own units only."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from jobs.testing import worker_thread
from tests.e2e.conftest import sign_in
from tests.factories import make_organisation

pytestmark = pytest.mark.browser


def test_association_exports_units_and_downloads_the_workbook(world, page, tmp_path):
    make_organisation(name="唐山不应出现的单位", parent=world.tangshan)
    sign_in(page, world.sjz_association)
    page.goto("/exports/")
    page.get_by_test_id("export-jobs-empty").wait_for()
    form = page.get_by_test_id("export-form")
    form.locator("#id_table").select_option("units")
    with worker_thread():
        page.get_by_test_id("export-start").click()
        page.wait_for_url("**/jobs/*/")
        expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded", timeout=30_000)
        expect(page.get_by_test_id("job-progress-bar")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("export-result")).to_have_attribute("data-rows", "2")
    with page.expect_download() as download_info:
        page.get_by_test_id("job-download").click()
    target = tmp_path / "export.xlsx"
    download_info.value.save_as(target)
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "A2"
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted(["石家庄第一中学", "长安社区"])
