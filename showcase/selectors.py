"""Reads of the showcase. Public pages start from Designation.objects.public() and
ExperienceArticle.objects.published(); the unit's and the office's pages from
ExperienceArticle.objects.visible_to(user). Every function costs a fixed number of
queries, whatever the number of rows. Nothing here writes."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.caching import get_or_compute_once
from designations.models import Designation, DesignationStatus
from inspections.selectors import top_area_id
from organisations.models import Organisation, Sector, Status
from organisations.scoping import subtree_q
from showcase.models import ArticlePhoto, ArticleStatus, ExperienceArticle

# Brackets people type instead of those of the certificate (〔〕), for the verification.
BRACKETS = str.maketrans("【[［(（】]］)）", "〔〔〔〔〔〕〕〕〕〕")


# What a visitor without login reads may be a minute old (issue 8): the public pages are
# the most asked and the same for every visitor. Signed-in readers always get the rows
# as they are now, and a naming or a revocation shows at once (forget_public_pages).
PUBLIC_CACHE_SECONDS = 60


GENERATION_KEY = "showcase:generation"


def forget_public_pages() -> None:
    """Naming or revoking changes what the public may read at once, not a minute later:
    every cached public page is left behind (its key has the old generation)."""
    cache.set(GENERATION_KEY, (cache.get(GENERATION_KEY) or 0) + 1, None)


class PublicCache:
    """The cache of one visitor's request: the generation is read once, however many
    pieces of the page are read from the cache (a public list asks for four)."""

    def __init__(self):
        self.generation = cache.get(GENERATION_KEY) or 0

    def get_or_compute(self, key: str, compute):
        return get_or_compute_once(f"{key}:g{self.generation}", compute, PUBLIC_CACHE_SECONDS)


def cached(key: str, compute, *, public_cache: PublicCache | None):
    """compute()'s value, from `public_cache` when there is one (a visitor's request),
    computed afresh otherwise (a signed-in reader's)."""
    return compute() if public_cache is None else public_cache.get_or_compute(key, compute)


# --- places ------------------------------------------------------------------------


def areas() -> list[Organisation]:
    """The cities, industry systems, provincial departments and counties right below the
    province: what a named site is counted and filtered by (its "city or system")."""
    return list(
        Organisation.objects.filter(status=Status.ACTIVE)
        .top_areas()
        .only("pk", "name", "kind", "path", "region_code")
        .in_official_order()
    )


def area_names(area_list: list[Organisation]) -> dict[int, str]:
    return {area.pk: area.name for area in area_list}


def area_name_of(unit, names: dict[int, str]) -> str:
    """The name of the city or system `unit` belongs to; "provincial level" for a unit
    right below the province."""
    return names.get(top_area_id(unit.path), _("Provincial level"))


def with_area_names(designations, names: dict[int, str]):
    """Give each designation `area_name` (no query: read off the unit's path)."""
    for designation in designations:
        designation.area_name = area_name_of(designation.unit, names)
    return designations


# --- figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    value: int


def counts_by_area(area_list: list[Organisation]) -> list[Figure]:
    """Named sites (public ones) per city or system, largest first, those with none left
    out; sites of units right below the province as "provincial level". One query."""
    if not area_list:
        return []
    figures = Designation.objects.public().aggregate(
        total=Count("pk"),
        **{f"area_{area.pk}": Count("pk", filter=subtree_q(area.path, prefix="unit__")) for area in area_list},
    )
    rows = [Figure(area.name, figures[f"area_{area.pk}"]) for area in area_list if figures[f"area_{area.pk}"]]
    rest = figures["total"] - sum(row.value for row in rows)
    if rest > 0:
        rows.append(Figure(str(_("Provincial level")), rest))
    return sorted(rows, key=lambda row: -row.value)


def counts_by_sector() -> list[Figure]:
    """Named sites (public ones) per sector, every sector shown, in the notice's order. One query."""
    found = dict(
        Designation.objects.public()
        .order_by()
        .values_list("unit__sector")
        .annotate(n=Count("pk"))
        .values_list("unit__sector", "n")
    )
    return [Figure(str(label), found.get(value, 0)) for value, label in Sector.choices]


def chart_data(rows: list[Figure]) -> dict:
    """What charts.js draws: {"labels": [...], "values": [...]} (rendered with json_script)."""
    return {"labels": [row.label for row in rows], "values": [row.value for row in rows]}


# --- named sites ---------------------------------------------------------------------


def public_sites():
    """Named sites anyone may see, newest first, each with `article_count` (its published
    articles), in one query per page."""
    articles = (
        ExperienceArticle.objects.filter(designation=OuterRef("pk"), status=ArticleStatus.PUBLISHED)
        .order_by()
        .values("designation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Designation.objects.public()
        .select_related("unit")
        .only(
            "pk",
            "certificate_number",
            "named_on",
            "year",
            "serial",
            "status",
            "unit__name",
            "unit__path",
            "unit__sector",
        )
        .annotate(article_count=Coalesce(Subquery(articles, output_field=IntegerField()), 0))
        .order_by("-named_on", "-pk")
    )


def filter_sites(queryset, data: dict, *, area_list: list[Organisation]):
    """Narrow public_sites() by a valid SiteFilterForm's data."""
    if data.get("q"):
        queryset = queryset.filter(unit__name__icontains=data["q"])
    if data.get("area"):
        area = next((a for a in area_list if str(a.pk) == str(data["area"])), None)
        if area is not None:
            queryset = queryset.filter(subtree_q(area.path, prefix="unit__"))
    if data.get("sector"):
        queryset = queryset.filter(unit__sector=data["sector"])
    if data.get("year"):
        queryset = queryset.filter(year=int(data["year"]))
    return queryset


def public_areas(*, public_cache: PublicCache | None) -> list[Organisation]:
    return cached("showcase:areas:v1", areas, public_cache=public_cache)


def public_naming_years(*, public_cache: PublicCache | None) -> list[int]:
    return cached("showcase:years:v1", naming_years, public_cache=public_cache)


def site_list_cache(data: dict, public_cache: PublicCache | None) -> PublicCache | None:
    """The cache a list of sites filtered by `data` may be read from: none when the
    visitor searches by name, since a free text would fill it with one entry per word
    typed."""
    return None if data.get("q") else public_cache


def site_list_key(data: dict) -> str:
    return "showcase:sites:v1:" + ":".join(str(data.get(name) or "") for name in ("area", "sector", "year"))


def site_page(
    data: dict, page_number, *, area_list: list[Organisation], per_page: int, public_cache: PublicCache | None
) -> Page:
    """The page `page_number` of public_sites() narrowed by a valid SiteFilterForm's
    `data` (a bad number gives the nearest page). From `public_cache`, the count and the
    rows are a minute old at most (site_list_cache says when it is not used)."""
    sites = filter_sites(public_sites(), data, area_list=area_list)
    public_cache = site_list_cache(data, public_cache)
    key = site_list_key(data)
    paginator = Paginator(sites, per_page)
    # Paginator.count is a cached property: set here, the paginator never counts.
    paginator.count = cached(f"{key}:count", sites.count, public_cache=public_cache)
    page = paginator.get_page(page_number)
    page.object_list = cached(f"{key}:page{page.number}", lambda: list(page.object_list), public_cache=public_cache)
    return page


def naming_years() -> list[int]:
    """The years in which public sites were named, newest first (for the filter)."""
    return list(Designation.objects.public().order_by("-year").values_list("year", flat=True).distinct())


def public_site(pk: int) -> Designation:
    """One named site anyone may see (Designation.DoesNotExist for a revoked or unknown one)."""
    return Designation.objects.public().select_related("unit", "campaign", "announcement").get(pk=pk)


def find_certificate(number: str) -> Designation | None:
    """The designation whose certificate number is `number`, revoked or not; a number
    typed with other brackets (【】, [], ()) is found too. None when no certificate of the
    platform has that number."""
    number = "".join(number.split())
    if not number:
        return None
    variants = {number, number.translate(BRACKETS)}
    return (
        Designation.objects.filter(certificate_number__in=variants)
        .select_related("unit", "campaign")
        .only(
            "pk",
            "certificate_number",
            "named_on",
            "status",
            "revoked_on",
            "revoke_doc_number",
            "unit__name",
            "campaign__named_title",
        )
        .first()
    )


# --- articles ------------------------------------------------------------------------


def _photos_prefetch():
    return Prefetch("photos", queryset=ArticlePhoto.objects.order_by("order", "pk"), to_attr="photo_list")


def published_articles():
    """Published articles of sites holding their title, newest first, with their site and
    photos (two queries per page, whatever its length); the text itself is not read."""
    return (
        ExperienceArticle.objects.published()
        .select_related("designation__unit")
        .defer("body", "review_note")
        .prefetch_related(_photos_prefetch())
        .newest_published_first()
    )


def featured_article() -> ExperienceArticle | None:
    return published_articles().filter(featured=True).first()


def public_article(pk: int) -> ExperienceArticle:
    """A published article anyone may read, with its site and photos (DoesNotExist otherwise)."""
    return (
        ExperienceArticle.objects.published()
        .select_related("designation__unit")
        .prefetch_related(_photos_prefetch())
        .get(pk=pk)
    )


def articles_of_site(designation) -> list[ExperienceArticle]:
    return list(published_articles().filter(designation=designation))


def site_profile(
    pk: int, *, public_cache: PublicCache | None
) -> tuple[Designation, str | None, list[ExperienceArticle]]:
    """A public site's page: the designation (DoesNotExist for a revoked or unknown
    site), the name of its city or system (None right below the province), and its
    published articles. From `public_cache`, a minute old at most; a miss is never kept."""

    def compute():
        designation = public_site(pk)
        area_id = top_area_id(designation.unit.path)
        area = Organisation.objects.filter(pk=area_id).values_list("name", flat=True).first() if area_id else None
        return designation, area, articles_of_site(designation)

    return cached(f"showcase:site:v1:{int(pk)}", compute, public_cache=public_cache)


def article_for_page(user, pk: int) -> ExperienceArticle:
    """An article `user` may manage, in any state, with its site and photos (DoesNotExist otherwise)."""
    return (
        ExperienceArticle.objects.visible_to(user)
        .select_related("designation__unit", "designation__campaign", "author")
        .prefetch_related(_photos_prefetch())
        .get(pk=pk)
    )


def _photo_counts():
    photos = ArticlePhoto.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
    return Coalesce(Subquery(photos.values("n"), output_field=IntegerField()), 0)


def articles_for(user, *, status: str = "", query: str = ""):
    """The articles `user` manages (visible_to), most recently changed first, each with
    its site and `photo_count`, optionally narrowed by status and by a search in the
    title and the unit's name. One query per page."""
    articles = (
        ExperienceArticle.objects.visible_to(user)
        .select_related("designation__unit")
        .defer("body")
        .annotate(photo_count=_photo_counts())
        .order_by("-updated_at", "-pk")
    )
    if status in ArticleStatus.values:
        articles = articles.filter(status=status)
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(designation__unit__name__icontains=query))
    return articles


def writable_sites(user) -> list[Designation]:
    """The named sites (holding their title) whose articles `user`, a unit operator, writes."""
    return list(
        Designation.objects.visible_to(user).filter(status=DesignationStatus.ACTIVE).select_related("unit", "campaign")
    )


def photos_visible_to(user):
    """Photos of published articles for everyone; those of other articles only for who
    may manage the article (the office, its unit)."""
    public = Q(article__status=ArticleStatus.PUBLISHED, article__designation__status=DesignationStatus.ACTIVE)
    if not user.is_authenticated:
        return ArticlePhoto.objects.filter(public)
    return ArticlePhoto.objects.filter(public | Q(article__in=ExperienceArticle.objects.visible_to(user)))
