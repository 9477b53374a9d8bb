"""Experience articles: the unit drafts and submits, the office publishes, unpublishes,
returns and features; every change audited and told; text sanitised; photos need alt
text; scope by URL; a fixed number of queries per page."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditRecord
from notifications.models import Notification
from showcase import services
from showcase.models import ArticlePhoto, ArticleStatus, ExperienceArticle
from tests.materials.factories import JPEG, PDF, PNG, upload
from tests.showcase import factories


@pytest.fixture
def site(world):
    return factories.sjz_site(world)


def _audit(article):
    return list(
        AuditRecord.objects.filter(object_type="showcase.experiencearticle", object_id=str(article.pk))
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "reason")
    )


def _stored_files() -> list[str]:
    found = []

    def walk(folder):
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}" for name in files)
        for name in folders:
            walk(f"{folder}/{name}")

    walk("materials")
    walk("showcase")
    return found


# --- the flow -----------------------------------------------------------------------------


def test_unit_drafts_submits_and_the_office_publishes(world, site):
    article = services.create_article(
        actor=world.sjz_operator, designation=site, title=" 心理驿站进校园 ", summary="师生心理关爱。", body="正文"
    )
    assert (article.status, article.title, article.author) == (
        ArticleStatus.DRAFT,
        "心理驿站进校园",
        world.sjz_operator,
    )
    photo = factories.photo(article)
    assert (photo.order, photo.alt_text, photo.content_type) == (1, "心理咨询室内，咨询师与职工面谈", "image/jpeg")
    assert photo.thumbnail.name != ""

    services.submit_article(actor=world.sjz_operator, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    assert article.submitted_at is not None
    staff_note = Notification.objects.get(recipient=world.province_staff, kind="article.submit")
    assert staff_note.url == reverse("showcase:article-detail", kwargs={"pk": article.pk})

    services.publish_article(actor=world.province_staff, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    assert Notification.objects.filter(recipient=world.sjz_operator, kind="article.publish").count() == 1
    assert _audit(article) == [
        ("article.create", "", "draft", ""),
        ("article.photo_add", "", "", ""),
        ("article.submit", "draft", "submitted", ""),
        ("article.publish", "submitted", "published", ""),
    ]
    assert Client().get(reverse("showcase:article", kwargs={"pk": article.pk})).status_code == 200


def test_office_returns_with_a_comment_and_the_unit_changes_and_resubmits(world, site):
    article = factories.submitted(site)
    with pytest.raises(PermissionDenied):
        services.update_article(actor=world.sjz_operator, article=article, title="提交后不能改")
    with pytest.raises(ValidationError) as error:
        services.return_article(actor=world.province_staff, article=article, comment="  ")
    assert error.value.message_dict == {"reason": [gettext("Please give the reason.")]}
    services.return_article(actor=world.province_staff, article=article, comment="请补充工作成效的具体数据。")
    article.refresh_from_db()
    assert (article.status, article.review_note) == (ArticleStatus.DRAFT, "请补充工作成效的具体数据。")
    returned = Notification.objects.get(recipient=world.sjz_operator, kind="article.return")
    assert returned.body == "请补充工作成效的具体数据。"
    services.update_article(actor=world.sjz_operator, article=article, body="补充后的正文")
    services.submit_article(actor=world.sjz_operator, article=article)
    article.refresh_from_db()
    assert (article.status, article.body) == (ArticleStatus.SUBMITTED, "补充后的正文")
    assert [row[0] for row in _audit(article)] == [
        "article.create",
        "article.submit",
        "article.return",
        "article.update",
        "article.submit",
    ]


def test_unpublishing_needs_a_reason_and_takes_the_article_down(world, site):
    article = factories.published(site, staff=world.province_staff)
    services.feature_article(actor=world.province_staff, article=article)
    with pytest.raises(ValidationError):
        services.unpublish_article(actor=world.province_staff, article=article, reason="")
    services.unpublish_article(actor=world.province_staff, article=article, reason="照片涉及未成年人肖像")
    article.refresh_from_db()
    assert (article.status, article.featured) == (ArticleStatus.UNPUBLISHED, False)
    assert _audit(article)[-1] == ("article.unpublish", "published", "unpublished", "照片涉及未成年人肖像")
    assert Notification.objects.filter(recipient=world.sjz_operator, kind="article.unpublish").count() == 1
    assert Client().get(reverse("showcase:article", kwargs={"pk": article.pk})).status_code == 404
    # It may come back, as it is or after the unit changed it.
    services.publish_article(actor=world.province_staff, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


def test_a_transition_not_allowed_now_changes_nothing(world, site):
    article = factories.draft(site)
    with pytest.raises(ValidationError) as error:
        services.publish_article(actor=world.province_staff, article=article)
    assert error.value.code == "invalid_transition"
    with pytest.raises(PermissionDenied):
        services.publish_article(actor=world.sjz_operator, article=article)
    with pytest.raises(PermissionDenied):
        services.submit_article(actor=world.province_staff, article=article)
    with pytest.raises(PermissionDenied):
        services.submit_article(actor=world.ts_operator, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert [row[0] for row in _audit(article)] == ["article.create"]


def test_office_edits_any_article_and_the_unit_is_told(world, site):
    article = factories.published(site, staff=world.province_staff)
    services.update_article(actor=world.province_staff, article=article, title="改过的标题")
    article.refresh_from_db()
    assert (article.title, article.status) == ("改过的标题", ArticleStatus.PUBLISHED)
    assert Notification.objects.filter(recipient=world.sjz_operator, kind="article.update").count() == 1
    record = AuditRecord.objects.filter(action="article.update", object_id=str(article.pk)).get()
    assert record.details["changed"]["title"][1] == "改过的标题"


def test_featuring_one_article_unfeatures_the_previous(world, site):
    first = factories.published(site, staff=world.province_staff)
    second = factories.published(site, staff=world.province_staff)
    services.feature_article(actor=world.province_staff, article=first)
    services.feature_article(actor=world.province_staff, article=second)
    assert list(ExperienceArticle.objects.filter(featured=True)) == [second]
    assert AuditRecord.objects.get(action="article.feature", object_id=str(second.pk)).details == {
        "replaced": [first.pk]
    }
    assert Notification.objects.filter(recipient=world.sjz_operator, kind="article.feature").count() == 2
    services.unfeature_article(actor=world.province_staff, article=second)
    assert ExperienceArticle.objects.filter(featured=True).count() == 0


def test_only_a_published_article_can_be_featured_and_by_the_office_only(world, site):
    draft = factories.draft(site)
    with pytest.raises(ValidationError):
        services.feature_article(actor=world.province_staff, article=draft)
    published = factories.published(site, staff=world.province_staff)
    with pytest.raises(PermissionDenied):
        services.feature_article(actor=world.sjz_operator, article=published)


def test_the_database_keeps_at_most_one_featured_published_article(world, site):
    first = factories.published(site, staff=world.province_staff)
    second = factories.published(site, staff=world.province_staff)
    ExperienceArticle.objects.filter(pk=first.pk).update(featured=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExperienceArticle.objects.filter(pk=second.pk).update(featured=True)
    draft = factories.draft(site)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExperienceArticle.objects.filter(pk=draft.pk).update(featured=True)


def test_a_site_that_lost_its_title_writes_and_publishes_no_more(world, site):
    submitted = factories.submitted(site)
    draft = factories.draft(site)
    factories.revoke(world, site)
    site.refresh_from_db()
    with pytest.raises(PermissionDenied):
        factories.draft(site)
    with pytest.raises(PermissionDenied):
        services.submit_article(actor=world.sjz_operator, article=draft)
    with pytest.raises(ValidationError) as error:
        services.publish_article(actor=world.province_staff, article=submitted)
    assert error.value.code == "site_revoked"


# --- sanitising ------------------------------------------------------------------------


def test_script_and_javascript_links_in_the_text_never_reach_a_page(world, site, client_for):
    body = (
        "## 做法\n\n<script>alert('x')</script>\n\n"
        '[点我](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">链接</a>\n\n'
        '<img src="x" onerror="alert(4)">\n\n[官网](https://example.org/)'
    )
    article = factories.published(site, staff=world.province_staff, body=body)
    pages = [
        Client().get(reverse("showcase:article", kwargs={"pk": article.pk})),
        client_for(world.sjz_operator).get(reverse("showcase:article-detail", kwargs={"pk": article.pk})),
    ]
    for response in pages:
        html = response.content.decode()
        body_html = re.search(r'data-testid="article-body">(.*?)</div>', html, flags=re.S).group(1)
        assert "<script" not in body_html
        assert "alert" not in body_html
        assert "javascript:" not in body_html
        assert "onerror" not in body_html
        assert "onclick" not in body_html
        assert "<img" not in body_html
        assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">官网</a>' in body_html


def test_the_preview_is_sanitised_too(world, site, client_for):
    article = factories.draft(site)
    response = client_for(world.sjz_operator).post(
        reverse("showcase:article-edit", kwargs={"pk": article.pk}),
        {"action": "preview", "title": "t", "summary": "s", "body": "<script>alert(1)</script>**粗体**"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="article-preview"')
    assert "<strong>粗体</strong>" in html
    assert "<script" not in html


# --- photos ----------------------------------------------------------------------------


def test_a_photo_without_alt_text_is_refused_and_nothing_is_stored(world, site):
    article = factories.draft(site)
    before = _stored_files()
    with pytest.raises(ValidationError) as error:
        services.add_photo(actor=world.sjz_operator, article=article, upload=upload("a.jpg", JPEG), alt_text="  ")
    assert list(error.value.message_dict) == ["alt_text"]
    assert error.value.error_dict["alt_text"][0].code == "alt_text_required"
    assert ArticlePhoto.objects.count() == 0
    assert _stored_files() == before


def test_only_photos_are_accepted(world, site):
    article = factories.draft(site)
    before = set(_stored_files())
    with pytest.raises(ValidationError) as error:
        services.add_photo(actor=world.sjz_operator, article=article, upload=upload("a.pdf", PDF), alt_text="说明")
    assert list(error.value.message_dict) == ["file"]
    assert set(_stored_files()) == before
    png = services.add_photo(actor=world.sjz_operator, article=article, upload=upload("b.png", PNG), alt_text="图")
    assert png.content_type == "image/png"
    assert set(_stored_files()) - before == {png.file.name, png.thumbnail.name}


def test_photo_form_without_alt_text_answers_422_with_the_error_next_to_the_field(world, site, client_for):
    article = factories.draft(site)
    response = client_for(world.sjz_operator).post(
        reverse("showcase:article-photo-add", kwargs={"pk": article.pk}),
        {"file": upload("a.jpg", JPEG), "alt_text": "", "caption": ""},
    )
    assert response.status_code == 422
    with translation.override("zh-hans"):
        message = gettext("Say what the photo shows, for readers who cannot see it.")
    assert re.search(r'data-field-error="alt_text">([^<]*)<', response.content.decode()).group(1) == message
    assert ArticlePhoto.objects.count() == 0


def test_photos_are_described_reordered_and_removed(world, site, client_for, django_capture_on_commit_callbacks):
    article = factories.draft(site)
    first, second = factories.photo(article), factories.photo(article, alt_text="团体辅导活动")
    client = client_for(world.sjz_operator)
    response = client.post(
        reverse("showcase:article-photo-edit", kwargs={"pk": second.pk}),
        {
            f"photo-{second.pk}-alt_text": "团体心理辅导活动现场",
            f"photo-{second.pk}-caption": "",
            f"photo-{second.pk}-order": "0",
        },
    )
    assert response.status_code == 302
    assert list(article.photos.values_list("alt_text", flat=True)) == ["团体心理辅导活动现场", first.alt_text]
    response = client.post(
        reverse("showcase:article-photo-edit", kwargs={"pk": second.pk}), {f"photo-{second.pk}-alt_text": ""}
    )
    assert response.status_code == 422
    files = [first.file.name, first.thumbnail.name]
    assert set(files) <= set(_stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("showcase:article-photo-remove", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    assert list(article.photos.all()) == [second]
    assert not any(name in _stored_files() for name in files)


# --- pages and scope ----------------------------------------------------------------------


def test_unit_writes_an_article_through_the_pages(world, site, client_for):
    client = client_for(world.sjz_operator)
    mine = client.get(reverse("showcase:articles-mine")).content.decode()
    create_url = reverse("showcase:article-create", kwargs={"designation_pk": site.pk})
    assert f'href="{create_url}"' in mine
    response = client.post(create_url, {"action": "save", "title": "", "summary": "", "body": ""})
    assert response.status_code == 422
    response = client.post(create_url, {"action": "save", "title": "心理驿站", "summary": "摘要", "body": "正文"})
    article = ExperienceArticle.objects.get()
    assert response["Location"] == reverse("showcase:article-edit", kwargs={"pk": article.pk}) + "#photos"
    response = client.post(reverse("showcase:article-submit", kwargs={"pk": article.pk}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    # Submitted: the edit page sends the unit back to the article with a message.
    response = client.get(reverse("showcase:article-edit", kwargs={"pk": article.pk}))
    assert response["Location"] == reverse("showcase:article-detail", kwargs={"pk": article.pk})


def test_staff_review_pages_publish_return_and_feature(world, site, client_for):
    article = factories.submitted(site, title="待审核的经验")
    client = client_for(world.province_staff)
    listing = client.get(reverse("showcase:articles-review"), {"status": "submitted"}).content.decode()
    assert f'data-article="{article.pk}"' in listing
    assert 'data-article="' not in client.get(reverse("showcase:articles-review"), {"status": "draft"}).content.decode()
    response = client.post(reverse("showcase:article-return", kwargs={"pk": article.pk}), {"return-reason": ""})
    assert response.status_code == 422
    assert 'data-field-error="return-reason"' in response.content.decode()
    client.post(reverse("showcase:article-publish", kwargs={"pk": article.pk}))
    client.post(reverse("showcase:article-feature", kwargs={"pk": article.pk}))
    article.refresh_from_db()
    assert (article.status, article.featured) == (ArticleStatus.PUBLISHED, True)
    response = client.post(
        reverse("showcase:article-unpublish", kwargs={"pk": article.pk}), {"unpublish-reason": "核实中"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.featured, article.review_note) == (ArticleStatus.UNPUBLISHED, False, "核实中")


def test_articles_outside_the_scope_answer_404_and_other_roles_403(world, site, client_for):
    article = factories.draft(site)
    photo = factories.photo(article)
    urls = [
        reverse("showcase:article-detail", kwargs={"pk": article.pk}),
        reverse("showcase:article-edit", kwargs={"pk": article.pk}),
    ]
    for url in urls:
        assert client_for(world.ts_operator).get(url).status_code == 404
        assert client_for(world.sjz_association).get(url).status_code == 403
        assert client_for(world.inspector).get(url).status_code == 403
        assert client_for(world.province_staff).get(url).status_code == 200
        assert client_for(world.sjz_operator).get(url).status_code == 200
    other = client_for(world.ts_operator)
    assert other.post(reverse("showcase:article-submit", kwargs={"pk": article.pk})).status_code == 404
    assert other.post(reverse("showcase:article-photo-remove", kwargs={"pk": photo.pk})).status_code == 404
    create_url = reverse("showcase:article-create", kwargs={"designation_pk": site.pk})
    assert other.get(create_url).status_code == 404
    assert ExperienceArticle.objects.get().status == ArticleStatus.DRAFT
    # A unit not (yet) named is told how it gets there.
    assert 'data-testid="not-named"' in other.get(reverse("showcase:articles-mine")).content.decode()


def _articles(world, count):
    sites = [factories.sjz_site(world)]
    articles = [factories.published(sites[0], staff=world.province_staff, photos=1)]
    while len(articles) < count:
        articles.append(factories.submitted(sites[0]))
    return articles


@pytest.mark.parametrize("count", [1, 3])
def test_article_pages_cost_the_same_queries_whatever_the_rows(world, client_for, django_assert_max_num_queries, count):
    articles = _articles(world, count)
    for _index in range(count - 1):
        factories.photo(articles[0], actor=world.province_staff)
    unit, staff = client_for(world.sjz_operator), client_for(world.province_staff)
    unit.get(reverse("showcase:articles-mine"))
    staff.get(reverse("showcase:articles-review"))
    detail = reverse("showcase:article-detail", kwargs={"pk": articles[0].pk})
    for client, url, limit in (
        (unit, reverse("showcase:articles-mine"), 7),
        (staff, reverse("showcase:articles-review"), 6),
        (staff, reverse("showcase:articles-review") + "?status=submitted&q=经验", 6),
        (staff, detail, 6),
        (staff, reverse("showcase:article-edit", kwargs={"pk": articles[0].pk}), 6),
        (Client(), reverse("showcase:article", kwargs={"pk": articles[0].pk}), 2),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
