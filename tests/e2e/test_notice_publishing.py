"""A notice from the provincial office's pen to a unit operator's screen and the public list."""

import pytest

from notices.models import Notice
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.notices import factories

TITLE = "关于做好示范点年度复核工作的通知"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_notice_publishing_reaches_units_and_the_public(page, media_root, tmp_path):
    world = World()
    # The platform has no favicon yet: its 404 would count as a console error of this page.
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=b""))
    attachment = tmp_path / "复核工作安排.pdf"
    attachment.write_bytes(factories.PDF)

    sign_in(page, world.province_staff)
    page.goto("/notices/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_doc_number").fill("冀研发【2026】5号")
    page.locator("#id_issued_on").fill("2026-11-20")
    page.locator("input[name=visibility][value=public]").check()
    page.locator("#id_body").fill("# 一、复核范围\n\n已命名的示范点。")
    page.locator("#id_attachments").set_input_files(str(attachment))
    page.get_by_test_id("notice-save-publish").click()
    page.wait_for_url("**/notices/*/")
    notice = Notice.objects.get(title=TITLE)
    assert notice.state == "published"
    assert page.locator("[data-testid=notice-body] h2").inner_text() == "一、复核范围"
    assert page.locator("[data-testid=attachments] a").inner_text() == "复核工作安排.pdf"

    page.context.clear_cookies()
    sign_in(page, world.sjz_operator)
    page.goto("/notices/")
    row = page.locator(f'[data-notice="{notice.pk}"]')
    assert row.get_attribute("data-unread") == "true"
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/notices/{notice.pk}/")
    # The page posts its read mark as it opens (htmx, with the CSRF header): no GET marks it.
    page.locator('[data-testid=notice-read][data-read="true"]').wait_for()
    page.goto("/notices/")
    assert page.locator(f'[data-notice="{notice.pk}"]').get_attribute("data-unread") == "false"
    page.goto(f"/notices/{notice.pk}/")
    with page.expect_download() as download:
        page.locator("[data-testid=attachments] a").click()
    assert download.value.suggested_filename == "复核工作安排.pdf"

    page.context.clear_cookies()
    page.goto("/notices/")
    assert page.locator(f'[data-notice="{notice.pk}"]').count() == 1
    assert page.locator(f'[data-notice="{notice.pk}"] [data-unread-mark]').count() == 0
