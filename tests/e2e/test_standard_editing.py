"""The provincial administrator revises the standard in a browser, and the public sees it."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import VersionStatus
from tests.campaigns.factories import indicators_of, make_campaign, make_version
from tests.e2e.conftest import sign_in


@pytest.mark.browser
def test_standard_editing_new_version_publishes_new_total(page, live_server, world):
    campaign = make_campaign(name="浏览器测试创建活动")
    make_version(campaign=campaign, number=1, status=VersionStatus.PUBLISHED, label="试行")  # 4 × 5 = 20 points
    sign_in(page, world.province_admin)

    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator('[data-action="version-create"]').click()
    page.wait_for_url(re.compile(r"/campaigns/versions/\d+/edit/$"))
    draft = campaign.versions.get(status=VersionStatus.DRAFT)
    first = indicators_of(draft)[0]
    page.locator(f"#id_indicator-{first.pk}-max_score").fill("10")
    page.locator('[data-action="version-save"]').click()
    expect(page.get_by_test_id("standard-totals")).to_have_attribute("data-max-total", "25")

    page.locator('[data-action="version-review"]').click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('[data-action="version-publish"]').click()
    expect(page.locator("[data-version-status]").first).to_have_attribute("data-version-status", "published")

    page.context.clear_cookies()  # the standard page is for everyone, signed in or not
    page.goto(f"/campaigns/{campaign.pk}/standard/")
    totals = page.get_by_test_id("standard-totals")
    expect(totals).to_have_attribute("data-max-total", "25")
    expect(page.locator(f'[data-indicator="{first.pk}"]')).to_have_attribute("data-max-score", "10")
