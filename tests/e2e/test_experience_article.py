"""An experience article from the named unit's pen to the public showcase: the unit
drafts it, adds a photo with its description and submits it; the provincial staff
publish and feature it; a visitor reads it on the showcase's home page."""

import pytest

from showcase.models import ArticleStatus, ExperienceArticle
from tests.e2e.conftest import sign_in
from tests.factories import World
from tests.materials.factories import JPEG
from tests.showcase import factories

pytestmark = pytest.mark.browser

TITLE = "心理驿站进校园：让每名师生都有倾诉的地方"
ALT = "学校心理驿站内，心理教师与学生面对面交流"


def _sign_in(page, user):
    # sign_in's wait for "**/" is met by the login page's own address: wait until the
    # signed-in page is there before going on.
    sign_in(page, user)
    page.get_by_test_id("user-menu").wait_for()


@pytest.mark.django_db(transaction=True)
def test_unit_writes_staff_publish_and_the_public_reads_it(page, tmp_path):
    world = World()
    site = factories.sjz_site(world)
    photo = tmp_path / "心理驿站.jpg"
    photo.write_bytes(JPEG)
    page.on("dialog", lambda dialog: dialog.accept())

    _sign_in(page, world.sjz_operator)
    page.goto("/showcase/manage/articles/")
    page.get_by_test_id("article-create").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("学校建成心理驿站，专兼职心理教师轮流值守。")
    page.locator("#id_body").fill("## 一、主要做法\n\n建成心理驿站，**每周开放五天**。\n\n<script>alert(1)</script>")
    page.get_by_test_id("article-preview-button").click()
    page.get_by_test_id("article-preview").locator("strong").wait_for()
    assert page.get_by_test_id("article-preview").locator("h3").inner_text() == "一、主要做法"
    page.get_by_test_id("article-save").click()
    page.wait_for_url("**/showcase/manage/articles/*/edit/#photos")
    article = ExperienceArticle.objects.get(title=TITLE)
    assert (article.designation, article.author) == (site, world.sjz_operator)

    # (A photo without its description is refused with a 422 answer: tests/showcase/test_articles.py.)
    form = page.get_by_test_id("photo-form")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator("#id_alt_text").fill(ALT)
    form.locator("#id_caption").fill("心理驿站")
    page.get_by_test_id("photo-add").click()
    page.wait_for_url("**/edit/#photos")
    thumbnail = page.locator("[data-testid=photo-list] img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.get_attribute("alt") == ALT

    page.goto(f"/showcase/manage/articles/{article.pk}/")
    page.get_by_test_id("article-submit").click()
    page.locator(f'article[data-article="{article.pk}"][data-status="submitted"]').wait_for()
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED

    page.context.clear_cookies()
    _sign_in(page, world.province_staff)
    page.goto("/showcase/manage/review/?status=submitted")
    page.locator(f'[data-article="{article.pk}"] a').click()
    page.wait_for_url(f"**/showcase/manage/articles/{article.pk}/")
    page.get_by_test_id("article-publish").click()
    page.get_by_test_id("article-feature").click()
    page.get_by_test_id("featured-badge").wait_for()
    article.refresh_from_db()
    assert (article.status, article.featured) == (ArticleStatus.PUBLISHED, True)

    page.context.clear_cookies()
    page.goto("/showcase/")
    featured = page.get_by_test_id("featured-article")
    assert featured.get_attribute("data-article") == str(article.pk)
    featured.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/showcase/articles/{article.pk}/")
    assert page.get_by_test_id("article-body").locator("strong").inner_text() == "每周开放五天"
    assert page.get_by_test_id("article-body").locator("script").count() == 0
    image = page.locator("[data-testid=article-photos] img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.get_attribute("alt") == ALT
    assert page.locator("[data-testid=article-photos] figcaption").inner_text() == "心理驿站"
