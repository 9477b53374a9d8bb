"""A unit operator uploads its work summary and a photo, sees the thumbnail, replaces the
work summary and finds both versions in the history."""

import pytest

from materials.models import Kind, Material
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.materials import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_materials_upload_replace_and_history(page, media_root, tmp_path):
    world = World()
    summary_v1 = tmp_path / "2026年度工作总结.pdf"
    summary_v1.write_bytes(factories.PDF)
    summary_v2 = tmp_path / "2026年度工作总结（修改稿）.pdf"
    summary_v2.write_bytes(factories.PDF_2)
    photo = tmp_path / "心理辅导室.jpg"
    photo.write_bytes(factories.JPEG)

    sign_in(page, world.sjz_operator)
    page.goto("/materials/")
    # Every upload goes through htmx: it reports the progress that feeds the bar.
    page.evaluate(
        "window.progressEvents = 0;"
        "document.addEventListener('htmx:xhr:progress', () => { window.progressEvents += 1; });"
    )

    page.get_by_test_id("work-summary-form").locator("input[type=file]").set_input_files(str(summary_v1))
    page.get_by_test_id("work-summary-submit").click()
    summary_card = page.locator("[data-testid=work-summary] [data-kind=work_summary]")
    summary_card.wait_for()
    assert summary_card.get_attribute("data-current-version") == "1"
    assert summary_card.locator("[data-download]").first.inner_text() == "2026年度工作总结.pdf"
    assert summary_card.locator("[data-preview]").get_attribute("target") == "_blank"

    page.get_by_test_id("supporting-form").locator("input[type=file]").set_input_files(str(photo))
    page.get_by_test_id("supporting-submit").click()
    thumbnail = page.locator("[data-testid=supporting-list] img[data-thumbnail]")
    thumbnail.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [320, 240]

    summary = Material.objects.get(kind=Kind.WORK_SUMMARY)
    replace = page.get_by_test_id(f"replace-form-{summary.pk}")
    replace.locator("input[type=file]").set_input_files(str(summary_v2))
    replace.locator("button[type=submit]").click()
    page.locator("[data-testid=work-summary] [data-current-version='2']").wait_for()
    history = page.locator("[data-testid=work-summary] [data-testid=version-history] [data-history-version]")
    assert history.evaluate_all("items => items.map(i => i.dataset.historyVersion)") == ["2", "1"]
    assert history.locator("[data-download]").all_inner_texts() == [
        "2026年度工作总结（修改稿）.pdf",
        "2026年度工作总结.pdf",
    ]
    assert page.evaluate("window.progressEvents") > 0

    with page.expect_download() as download:
        history.nth(1).locator("[data-download]").click()
    assert download.value.suggested_filename == "2026年度工作总结.pdf"
    assert download.value.path().read_bytes() == factories.PDF

    # The preview is the browser's own PDF viewer, in a sandbox. The bare PDF document has
    # no icon of its own: the browser's request for /favicon.ico is not the page's error.
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=b""))
    page.goto(history.nth(1).locator("[data-preview]").get_attribute("href"))
    assert page.evaluate("document.contentType") == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_materials_evidence_upload_swaps_only_its_indicator(page, media_root, tmp_path):
    world = World()
    photo = tmp_path / "心理辅导室.jpg"
    photo.write_bytes(factories.JPEG)
    renamed = tmp_path / "制度.pdf"
    renamed.write_bytes(factories.EXE)

    sign_in(page, world.sjz_operator)
    page.goto("/materials/evidence/")
    section = page.locator("[data-evidence-count]").first
    indicator = section.get_attribute("data-testid")
    # Marks the page: a whole-page swap would lose it, the indicator's own swap does not.
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")

    section.locator("[data-upload-form] input[type=file]").set_input_files(str(photo))
    section.locator("[data-upload-form] button[type=submit]").click()
    page.locator(f"[data-testid={indicator}][data-evidence-count='1'] img[data-thumbnail]").wait_for()

    section = page.get_by_test_id(indicator)
    section.locator("[data-upload-form] input[type=file]").set_input_files(str(renamed))
    section.locator("[data-upload-form] button[type=submit]").click()
    error = page.locator(f"[data-testid={indicator}] [data-field-error=file]")
    error.wait_for()
    assert "制度.pdf" in error.inner_text()
    assert page.get_by_test_id(indicator).get_attribute("data-evidence-count") == "1"
    assert page.evaluate("document.querySelector('h1').dataset.kept") == "yes"
    assert Material.objects.filter(kind=Kind.EVIDENCE).count() == 1
