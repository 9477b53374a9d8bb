"""The unit and the provincial office editing one experience article at once."""

import pytest
from django.urls import reverse

from showcase.models import ArticlePhoto, ExperienceArticle
from tests.concurrency import assert_refused, audit_count, edit_token
from tests.showcase import factories


@pytest.fixture
def article(world):
    return factories.draft(factories.sjz_site(world), title="心理驿站的做法")


def article_data(article, **changes):
    return {"title": article.title, "summary": article.summary, "body": article.body, **changes}


def test_concurrent_edits_of_an_article_refuse_the_second_save(world, client_for, article):
    url = reverse("showcase:article-edit", kwargs={"pk": article.pk})
    unit, office = client_for(world.sjz_operator), client_for(world.province_staff)
    token_unit, token_office = edit_token(unit.get(url)), edit_token(office.get(url))
    assert office.post(url, article_data(article, summary="省里改的摘要", edit_token=token_office)).status_code == 302
    before = audit_count()

    refused = unit.post(url, article_data(article, summary="单位改的摘要", edit_token=token_unit))

    assert_refused(refused, typed="单位改的摘要", by=world.province_staff.username, status=(422,))
    assert "省里改的摘要" in refused.content.decode()
    assert ExperienceArticle.objects.get(pk=article.pk).summary == "省里改的摘要"
    assert audit_count() == before


def test_concurrent_edits_of_an_article_keep_the_token_through_the_preview(world, client_for, article):
    url = reverse("showcase:article-edit", kwargs={"pk": article.pk})
    unit, office = client_for(world.sjz_operator), client_for(world.province_staff)
    token_unit, token_office = edit_token(unit.get(url)), edit_token(office.get(url))
    office.post(url, article_data(article, summary="省里改的摘要", edit_token=token_office))

    preview = unit.post(url, article_data(article, summary="单位改的摘要", edit_token=token_unit, action="preview"))
    refused = unit.post(url, article_data(article, summary="单位改的摘要", edit_token=edit_token(preview)))

    assert_refused(refused, typed="单位改的摘要", status=(422,))
    assert ExperienceArticle.objects.get(pk=article.pk).summary == "省里改的摘要"


def test_concurrent_edits_of_an_article_single_save_works(world, client_for, article):
    url = reverse("showcase:article-edit", kwargs={"pk": article.pk})
    unit = client_for(world.sjz_operator)
    token = edit_token(unit.get(url))

    assert unit.post(url, article_data(article, summary="新的摘要", edit_token=token)).status_code == 302

    assert ExperienceArticle.objects.get(pk=article.pk).summary == "新的摘要"


def test_concurrent_edits_of_a_photo_description_refuse_the_second_save(world, client_for, article):
    photo = factories.photo(article)
    page = reverse("showcase:article-edit", kwargs={"pk": article.pk})
    url = reverse("showcase:article-photo-edit", kwargs={"pk": photo.pk})
    name = f"photo-{photo.pk}-edit_token"
    unit, office = client_for(world.sjz_operator), client_for(world.province_staff)
    token_unit, token_office = edit_token(unit.get(page), name), edit_token(office.get(page), name)
    prefix = f"photo-{photo.pk}-"
    saved = office.post(url, {f"{prefix}alt_text": "省里写的描述", f"{prefix}caption": "", name: token_office})
    assert saved.status_code == 302
    before = audit_count()

    refused = unit.post(url, {f"{prefix}alt_text": "单位写的描述", f"{prefix}caption": "", name: token_unit})

    assert_refused(refused, typed="单位写的描述", status=(422,))
    assert ArticlePhoto.objects.get(pk=photo.pk).alt_text == "省里写的描述"
    assert audit_count() == before
