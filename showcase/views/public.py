"""The public showcase, without login: the campaign's named sites, their published
experience articles, and the verification of a certificate number.

Nothing internal reaches these pages: no scores, inspectors, contact people or phone
numbers, no unpublished article and no site that does not hold its title. They start
from Designation.objects.public() and ExperienceArticle.objects.published() only.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from campaigns.selectors import current_campaign
from core.access import public
from core.files import stream_stored
from core.pagination import paginate
from designations.models import Designation
from notices.rendering import render_markdown
from showcase import selectors
from showcase.forms import SiteFilterForm, VerifyForm
from showcase.models import ExperienceArticle

LATEST_SITES = 6
LATEST_ARTICLES = 4
SITES_PER_PAGE = 20
ARTICLES_PER_PAGE = 12


@public
def home(request):
    """The campaign's purpose, the named sites counted by city or system and by sector
    (charts, each also a table), the latest sites and articles, and the featured article."""
    area_list = selectors.areas()
    by_area = selectors.counts_by_area(area_list)
    by_sector = selectors.counts_by_sector()
    featured = selectors.featured_article()
    latest_articles = selectors.published_articles()
    if featured is not None:
        latest_articles = latest_articles.exclude(pk=featured.pk)
    latest_sites = list(selectors.public_sites()[:LATEST_SITES])
    return render(
        request,
        "showcase/home.html",
        {
            "campaign": current_campaign(),
            "site_total": sum(row.value for row in by_sector),
            "article_total": ExperienceArticle.objects.published().count(),
            "by_area": by_area,
            "by_sector": by_sector,
            "area_chart": selectors.chart_data(by_area),
            "sector_chart": selectors.chart_data(by_sector),
            "featured": featured,
            "latest_articles": list(latest_articles[:LATEST_ARTICLES]),
            "latest_sites": selectors.with_area_names(latest_sites, selectors.area_names(area_list)),
        },
    )


def _public_cache(request) -> selectors.PublicCache | None:
    # Visitors without login may read the public lists a minute old (showcase.selectors).
    return None if request.user.is_authenticated else selectors.PublicCache()


@public
def site_list(request):
    """Every named site, filtered by city or system, sector and year, searched by name,
    paginated in the database."""
    public_cache = _public_cache(request)
    area_list = selectors.public_areas(public_cache=public_cache)
    form = SiteFilterForm(
        request.GET or None, areas=area_list, years=selectors.public_naming_years(public_cache=public_cache)
    )
    data = form.cleaned_data if form.is_valid() else {}
    page = selectors.site_page(
        data, request.GET.get("page"), area_list=area_list, per_page=SITES_PER_PAGE, public_cache=public_cache
    )

    def render_items():
        page.object_list = selectors.with_area_names(list(page.object_list), selectors.area_names(area_list))
        return render_to_string("showcase/includes/site_items.html", {"page_obj": page})

    # The rows' HTML is kept with the rows: twenty items are most of this page's work.
    items = selectors.cached(
        f"{selectors.site_list_key(data)}:page{page.number}:html:{get_language()}",
        render_items,
        public_cache=selectors.site_list_cache(data, public_cache),
    )
    return render(
        request,
        "showcase/sites.html",
        {"page_obj": page, "site_items": items, "filter_form": form, "filtered": bool(data)},
    )


@public
def site_detail(request, pk):
    """A named site's public profile and its published experience articles; 404 for a
    revoked or unknown site."""
    try:
        designation, area, articles = selectors.site_profile(pk, public_cache=_public_cache(request))
    except Designation.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "showcase/site.html",
        {"designation": designation, "unit": designation.unit, "area_name": area, "articles": articles},
    )


@public
def verify(request):
    """Is this certificate number one of ours, and is it still valid? Answers valid (since
    when), revoked (since when) or unknown. The QR code on a certificate opens this page
    with ?number=."""
    form = VerifyForm(request.GET if "number" in request.GET else None)
    designation = None
    checked = False
    if form.is_bound and form.is_valid():
        designation = selectors.find_certificate(form.cleaned_data["number"])
        checked = True
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "showcase/verify.html",
        {"form": form, "checked": checked, "designation": designation},
        status=status,
    )


@public
def article_list(request):
    page = paginate(request, selectors.published_articles(), per_page=ARTICLES_PER_PAGE)
    return render(request, "showcase/articles.html", {"page_obj": page})


@public
def article_detail(request, pk):
    """A published experience article; 404 for any other (draft, submitted, unpublished,
    or of a site whose title was revoked)."""
    try:
        article = selectors.public_article(pk)
    except ExperienceArticle.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "showcase/article.html",
        {"article": article, "designation": article.designation, "body_html": render_markdown(article.body)},
    )


def _photo_or_404(request, pk):
    return get_object_or_404(
        selectors.photos_visible_to(request.user).select_related("article__designation__unit"), pk=pk
    )


def _stream_photo(request, item, name, **kwargs):
    """A stored picture of `item` (the photo or its thumbnail), audited under the article's unit."""
    return stream_stored(request, name, obj=item, scope=item.article.designation.unit, inline=True, **kwargs)


@public
def photo(request, pk):
    """A photo of a published article for anyone; of another article only for the office
    and the article's unit (404 for everyone else)."""
    item = _photo_or_404(request, pk)
    return _stream_photo(request, item, item.file.name, filename=item.original_name, content_type=item.content_type)


@public
def photo_thumbnail(request, pk):
    item = _photo_or_404(request, pk)
    if not item.thumbnail.name:
        return _stream_photo(request, item, item.file.name, content_type=item.content_type, part="thumbnail")
    content_type = "image/png" if item.thumbnail.name.endswith(".png") else "image/jpeg"
    return _stream_photo(request, item, item.thumbnail.name, content_type=content_type, part="thumbnail")
