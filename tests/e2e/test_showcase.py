"""A visitor on a phone, without login: the showcase's home page and its charts, the list
of named sites, a site's page, the verification of its certificate number, and the
large-text switch. The `page` fixture fails the test on any console error (CSP included)."""

import pytest

from tests.factories import World
from tests.showcase import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_visitor_on_a_phone_browses_sites_and_verifies_a_certificate(page):
    world = World()
    sjz = factories.sjz_site(world)
    ts = factories.ts_site(world)
    factories.published(sjz, staff=world.province_staff, title="心理驿站进校园", photos=1)
    page.set_viewport_size(PHONE)

    page.goto("/")
    page.get_by_test_id("showcase-link").click()
    page.wait_for_url("**/showcase/")
    assert page.get_by_test_id("site-total").inner_text() == "2"
    # The charts are drawn once they come near the screen; their figures are also tables.
    chart = page.get_by_test_id("chart-by-sector")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("[data-testid=chart-by-area][data-chart-drawn=true]")
    page.wait_for_selector("[data-testid=chart-by-sector][data-chart-drawn=true]")
    assert chart.locator("canvas").count() == 1
    page.locator("#table-by-area summary").click()
    assert page.get_by_test_id("table-by-area").locator("tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_test_id("browse-sites").click()
    page.wait_for_url("**/showcase/sites/")
    assert page.locator("[data-testid=site-list] [data-site]").count() == 2
    page.locator("#id_area").select_option(label="唐山市")
    page.get_by_test_id("site-search").click()
    page.wait_for_url("**/showcase/sites/?*")
    rows = page.locator("[data-testid=site-list] [data-site]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-site") == str(ts.pk)
    page.locator("#id_area").select_option("")
    page.locator("#id_q").fill("第一中学")
    page.get_by_test_id("site-search").click()
    page.get_by_role("link", name="石家庄第一中学").click()
    page.wait_for_url(f"**/showcase/sites/{sjz.pk}/")
    assert page.get_by_test_id("certificate-number").inner_text() == sjz.certificate_number
    assert page.locator("[data-testid=article-photos] img").get_attribute("alt") == "心理咨询室内，咨询师与职工面谈"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_test_id("verify-this").click()
    page.wait_for_url("**/showcase/verify/?number=*")
    assert page.get_by_test_id("verify-result").get_attribute("data-result") == "valid"
    assert page.get_by_test_id("verified-number").inner_text() == sjz.certificate_number

    # Typing a number by hand, with the keyboard only.
    page.locator("#id_number").fill("冀人文心理示范〔2026〕第099号")
    page.locator("#id_number").press("Enter")
    page.wait_for_url("**/showcase/verify/?number=*099*")
    assert page.get_by_test_id("verify-result").get_attribute("data-result") == "unknown"


@pytest.mark.django_db(transaction=True)
def test_large_text_switch_enlarges_the_showcase(page):
    World()
    page.set_viewport_size(PHONE)
    page.goto("/showcase/sites/")
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = page.evaluate(size)
    page.get_by_role("button", name="大字号").click()
    page.wait_for_selector("html.large-text", state="attached")
    assert page.url.endswith("/showcase/sites/")
    assert page.evaluate(size) == normal * 1.25
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="标准字号").click()
    page.wait_for_selector("html:not(.large-text)", state="attached")
    assert page.evaluate(size) == normal
