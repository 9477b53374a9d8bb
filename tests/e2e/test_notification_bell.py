"""The bell in a real browser, under the Content-Security-Policy: count, list, open, mark all read."""

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.notifications.factories import make_notification

TITLE = "石家庄市政研会对您的创建方案提出了意见"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bell_leads_to_the_notification_and_marks_it_read(page):
    world = World()
    notification = make_notification(recipient=world.sjz_operator, title=TITLE, url="/notices/", email=False)
    make_notification(recipient=world.sjz_operator, title="第二条通知", email=False)
    make_notification(recipient=world.ts_operator, title="唐山的通知", email=False)

    sign_in(page, world.sjz_operator)
    assert page.get_by_test_id("notification-count").inner_text() == "2"
    page.get_by_test_id("notification-bell").click()
    page.wait_for_url("**/notifications/")
    row = page.locator(f'[data-notification="{notification.pk}"]')
    assert row.get_attribute("data-unread") == "true"
    assert page.locator("[data-notification]").count() == 2

    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url("**/notices/")
    assert page.get_by_test_id("notification-count").inner_text() == "1"

    page.goto("/notifications/")
    assert page.locator(f'[data-notification="{notification.pk}"]').get_attribute("data-unread") == "false"
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("notification-count").count() == 0
    assert page.locator('[data-notification][data-unread="true"]').count() == 0
