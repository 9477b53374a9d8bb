"""The public showcase without login: home, named sites, site pages, articles, photos;
nothing internal on any of them, and a fixed number of queries whatever the rows."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from inspections.models import Result
from organisations.models import Sector
from showcase import services
from tests.designations import factories as designation_factories
from tests.inspections import factories as inspection_factories
from tests.showcase import factories


def _get(url, **params):
    response = Client().get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _json_block(html: str, block_id: str) -> dict:
    match = re.search(rf'<script id="{block_id}" type="application/json">(.*?)</script>', html, flags=re.S)
    assert match is not None
    return json.loads(match.group(1))


def _site_rows(html: str) -> list[str]:
    return re.findall(r'data-site="(\d+)"', html)


# --- home ---------------------------------------------------------------------------------


def test_home_shows_the_campaign_counts_and_latest_items_without_login(world):
    sjz = factories.sjz_site(world)
    ts = factories.ts_site(world)
    article = factories.published(sjz, staff=world.province_staff, title="班组心理关爱的做法", photos=1)
    html = _get(reverse("showcase:home"))
    assert "人文关怀" in html  # the campaign's name
    assert re.search(r'data-testid="site-total">(\d+)<', html).group(1) == "2"
    assert _json_block(html, "chart-by-area") == {"labels": ["石家庄市", "唐山市"], "values": [1, 1]}
    sectors = _json_block(html, "chart-by-sector")
    assert dict(zip(sectors["labels"], sectors["values"], strict=True))["学校"] == 1
    assert sum(sectors["values"]) == 2
    assert sorted(_site_rows(html)) == sorted([str(sjz.pk), str(ts.pk)])
    assert f'href="{reverse("showcase:article", kwargs={"pk": article.pk})}"' in html
    assert "showcase/charts.js" in html
    # The chart's figures are also a table.
    assert '<table class="table table-sm mt-2" data-testid="table-by-area">' in html


def test_home_features_the_featured_article(world):
    site = factories.sjz_site(world)
    article = factories.published(site, staff=world.province_staff, title="心理驿站进车间")
    services.feature_article(actor=world.province_staff, article=article)
    html = _get(reverse("showcase:home"))
    assert f'data-testid="featured-article" data-article="{article.pk}"' in html


def test_home_without_named_sites_says_what_comes(world):
    html = _get(reverse("showcase:home"))
    assert 'data-testid="latest-sites-empty"' in html
    assert 'data-testid="latest-articles-empty"' in html
    assert "chart-by-area" not in html


def test_landing_page_leads_to_the_showcase(db):
    html = _get("/")
    assert f'href="{reverse("showcase:home")}" data-testid="showcase-link"' in html


# --- sites ----------------------------------------------------------------------------


@pytest.fixture
def three_sites(world):
    sjz = factories.sjz_site(world)
    ts = factories.ts_site(world, issued_on=datetime.date(2027, 3, 1))
    _unit, operator = factories.new_unit(world, name="长安区青园社区", sector=Sector.COMMUNITY)
    community = factories.site_of(world, operator)
    return sjz, ts, community


def test_site_list_filters_by_city_sector_year_and_name(world, three_sites):
    sjz, ts, community = three_sites
    url = reverse("showcase:sites")
    assert sorted(_site_rows(_get(url))) == sorted(str(s.pk) for s in three_sites)
    assert sorted(_site_rows(_get(url, area=world.shijiazhuang.pk))) == sorted([str(sjz.pk), str(community.pk)])
    assert _site_rows(_get(url, sector=Sector.SCHOOL)) == [str(sjz.pk)]
    assert _site_rows(_get(url, year=2027)) == [str(ts.pk)]
    assert _site_rows(_get(url, q="青园")) == [str(community.pk)]
    assert 'data-testid="site-list-empty"' in _get(url, q="没有这个单位")


def test_site_list_leaves_out_revoked_sites(world, three_sites):
    sjz, ts, community = three_sites
    factories.revoke(world, ts)
    assert sorted(_site_rows(_get(reverse("showcase:sites")))) == sorted([str(sjz.pk), str(community.pk)])
    assert str(ts.pk) not in _site_rows(_get(reverse("showcase:home")))


def test_site_list_survives_nonsense_filters(world, three_sites):
    html = _get(reverse("showcase:sites"), area="abc", sector="zzz", year="-1", page="999", q="\x00")
    assert len(_site_rows(html)) == 3


def test_site_page_shows_the_public_profile_and_published_articles(world):
    world.sjz_unit.address = "石家庄市长安区建设北大街1号"
    world.sjz_unit.contact_phone = "0311-88886666"
    world.sjz_unit.save(update_fields=["address", "contact_phone"])
    site = factories.sjz_site(world)
    published = factories.published(site, staff=world.province_staff, title="已发布的经验", photos=1)
    factories.draft(site, title="尚未提交的草稿")
    html = _get(reverse("showcase:site", kwargs={"pk": site.pk}))
    assert "石家庄第一中学" in html
    assert "石家庄市" in html
    assert "建设北大街1号" in html
    assert "冀人文心理示范〔2026〕第001号" in html
    assert "2026-11-20" in html
    assert f'data-article="{published.pk}"' in html
    assert "尚未提交的草稿" not in html
    assert "0311-88886666" not in html
    photo = published.photos.get()
    assert f'alt="{photo.alt_text}"' in html


def test_site_page_of_a_revoked_or_unknown_site_is_not_found(world):
    site = factories.sjz_site(world)
    factories.revoke(world, site)
    assert Client().get(reverse("showcase:site", kwargs={"pk": site.pk})).status_code == 404
    assert Client().get(reverse("showcase:site", kwargs={"pk": site.pk + 100})).status_code == 404


# --- articles and photos ------------------------------------------------------------------


def test_only_published_articles_of_named_sites_are_public(world):
    site = factories.sjz_site(world)
    draft = factories.draft(site)
    submitted = factories.submitted(site)
    published = factories.published(site, staff=world.province_staff)
    unpublished = factories.published(site, staff=world.province_staff)
    services.unpublish_article(actor=world.province_staff, article=unpublished, reason="图片不清晰")
    client = Client()
    for article, status in ((draft, 404), (submitted, 404), (unpublished, 404), (published, 200)):
        assert client.get(reverse("showcase:article", kwargs={"pk": article.pk})).status_code == status
    listed = re.findall(r'data-article="(\d+)"', _get(reverse("showcase:articles")))
    assert listed == [str(published.pk)]
    factories.revoke(world, site)
    assert client.get(reverse("showcase:article", kwargs={"pk": published.pk})).status_code == 404
    assert re.findall(r'data-article="(\d+)"', _get(reverse("showcase:articles"))) == []


def test_public_article_renders_markdown_with_its_photos(world):
    site = factories.sjz_site(world)
    article = factories.published(site, staff=world.province_staff, photos=2)
    html = _get(reverse("showcase:article", kwargs={"pk": article.pk}))
    assert "<h3>一、主要做法</h3>" in html
    assert html.count('alt="心理咨询室内，咨询师与职工面谈"') == 2
    assert "<figcaption>心理咨询室</figcaption>" in html


def _read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_photos_of_published_articles_are_public_and_others_are_not(world, client_for):
    site = factories.sjz_site(world)
    public_photo = factories.published(site, staff=world.province_staff, photos=1).photos.get()
    draft_photo = factories.photo(factories.draft(site))
    for name in ("showcase:photo", "showcase:photo-thumbnail"):
        response = Client().get(reverse(name, kwargs={"pk": public_photo.pk}))
        assert response.status_code == 200
        assert _read(response)[:2] == b"\xff\xd8"  # a JPEG
        assert response["Content-Type"] == "image/jpeg"
        for reader in (world.sjz_association, world.ts_operator, world.inspector):
            response = client_for(reader).get(reverse(name, kwargs={"pk": public_photo.pk}))
            assert response.status_code == 200
            _read(response)
        draft_url = reverse(name, kwargs={"pk": draft_photo.pk})
        assert Client().get(draft_url).status_code == 404
        assert client_for(world.ts_operator).get(draft_url).status_code == 404
        assert client_for(world.sjz_association).get(draft_url).status_code == 404
        for reader in (world.sjz_operator, world.province_staff):
            response = client_for(reader).get(draft_url)
            assert response.status_code == 200
            _read(response)


# --- nothing leaks ----------------------------------------------------------------------


def test_nothing_internal_leaks_onto_the_public_pages(world):
    world.inspector.first_name, world.inspector.last_name = "考察", "专家甲"
    world.inspector.display_name = "专家甲乙"
    world.inspector.save()
    world.sjz_operator.phone = "13812340000"
    world.sjz_operator.save(update_fields=["phone"])
    world.sjz_unit.contact_name, world.sjz_unit.contact_phone = "联系人王红", "0311-12345678"
    world.sjz_unit.save(update_fields=["contact_name", "contact_phone"])
    # Scored by a team the world's inspector belongs to; one inspector gave 4.5 everywhere.
    site = designation_factories.named(world, scores={0: Decimal("4.5")})
    result = Result.objects.get(inspection__application=site.application)
    assert result.total < 100  # a figure of its own, not one that pages print anyway
    published = factories.published(site, staff=world.province_staff, photos=1)
    factories.draft(site, title="未公开的草稿标题")
    unpublished = factories.published(site, staff=world.province_staff, title="已撤下的文章标题")
    services.unpublish_article(actor=world.province_staff, article=unpublished, reason="内容需核实")
    factories.submitted(site, title="待审核的文章标题")
    # A unit scored by its team but never named.
    _unit, operator = factories.new_unit(world, name="只评分未命名的单位")
    designation_factories.scored(world, application=inspection_factories.awaiting(world, operator=operator))

    pages = [
        reverse("showcase:home"),
        reverse("showcase:sites"),
        reverse("showcase:site", kwargs={"pk": site.pk}),
        reverse("showcase:articles"),
        reverse("showcase:article", kwargs={"pk": published.pk}),
        reverse("showcase:verify") + "?number=" + site.certificate_number,
        "/",
    ]
    inspector_names = {
        world.inspector.username,
        world.inspector.display_name,
        world.inspector.get_full_name(),
        *site.application.inspections.values_list("members__inspector__name", flat=True),
    }
    forbidden = {
        *inspector_names,
        "13812340000",
        "0311-12345678",
        "联系人王红",
        world.sjz_operator.username,
        "未公开的草稿标题",
        "已撤下的文章标题",
        "待审核的文章标题",
        "内容需核实",
        "只评分未命名的单位",
        f"{result.total:f}",
        "总分",
        "得分",
    }
    for url in pages:
        html = _get(url)
        leaked = sorted(text for text in forbidden if text and text in html)
        assert leaked == [], url
    # What is public is there (the check above looks at real pages).
    assert published.title in _get(reverse("showcase:home"))
    assert "石家庄第一中学" in _get(reverse("showcase:sites"))


# --- queries ------------------------------------------------------------------------------


def _sites_with_articles(world, count):
    sites = [factories.sjz_site(world)]
    if count > 1:
        sites.append(factories.ts_site(world))
    while len(sites) < count:
        _unit, operator = factories.new_unit(world)
        sites.append(factories.site_of(world, operator))
    for site in sites:
        article = factories.published(site, staff=world.province_staff, photos=1)
    services.feature_article(actor=world.province_staff, article=article)
    return sites


@pytest.mark.parametrize("count", [1, 3])
def test_public_pages_cost_the_same_queries_whatever_the_rows(world, django_assert_max_num_queries, count):
    sites = _sites_with_articles(world, count)
    client = Client()
    client.get(reverse("showcase:home"))  # the session and the like: not part of the measure
    limits = {
        reverse("showcase:home"): 10,
        reverse("showcase:sites"): 4,
        reverse("showcase:sites") + f"?area={world.shijiazhuang.pk}&sector=school&year=2026&q=中学": 4,
        reverse("showcase:articles"): 3,
        reverse("showcase:site", kwargs={"pk": sites[0].pk}): 4,
        reverse("showcase:verify") + "?number=" + sites[0].certificate_number: 1,
    }
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
