"""The provincial dashboard: one page of charts and each chart's table as .xlsx."""

import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from campaigns.models import Campaign, CampaignStatus
from core.access import roles
from core.caching import get_or_compute_once
from core.files import as_download
from core.roles import PROVINCE_ROLES
from dashboard import selectors
from dashboard.exports import table_workbook
from dashboard.forms import DashboardFilterForm
from organisations.models import Sector

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    """The filter form, the campaign shown and the filters, from the query string. A bad
    value leaves its own filter out and puts a message next to its field."""
    user = request.user
    campaigns = list(Campaign.objects.visible_to(user).order_by("-start_date", "-pk"))
    areas = list(selectors.area_choices(user))
    form = DashboardFilterForm(request.GET or None, campaigns=campaigns, areas=areas)
    chosen = form.valid_value("campaign")
    campaign = form.campaigns.get(chosen) if chosen else None
    if campaign is None:
        # The running campaign by default, else the latest one.
        running = [c for c in campaigns if c.status == CampaignStatus.ACTIVE]
        campaign = (running or campaigns or [None])[0]
    area = form.valid_value("area")
    filters = selectors.Filters(
        campaign_id=campaign.pk if campaign else None,
        area=form.areas.get(area) if area else None,
        sector=form.valid_value("sector") or "",
        month_from=form.valid_value("month_from"),
        month_to=form.valid_value("month_to"),
    )
    return form, campaign, areas, filters


def _filters_text(campaign, filters: selectors.Filters) -> str:
    parts = [str(campaign) if campaign else "", filters.area.name if filters.area else ""]
    if filters.sector:
        parts.append(str(Sector(filters.sector).label))
    if filters.month_from or filters.month_to:
        start = f"{filters.month_from:%Y-%m}" if filters.month_from else ""
        end = f"{filters.month_to:%Y-%m}" if filters.month_to else ""
        parts.append(f"{start} – {end}")
    return " · ".join(part for part in parts if part)


def _charts_html(request, filters: selectors.Filters, stamp: str, charts: list, query: str) -> str:
    """The charts and their tables as HTML, rendered once per count of the figures (the
    stamp) and query string: hundreds of formatted numbers cost more than the rest of
    the page. The key holds the figures' own key (role, language, filters)."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    key = f"{filters.cache_key(request.user)}:html:{stamp}:{digest}"
    html = get_or_compute_once(
        key,
        lambda: render_to_string("dashboard/home.html#charts", {"charts": charts, "query": query}),
        selectors.cache_seconds(),
    )
    return mark_safe(html)  # noqa: S308 (our own template's output, escaped when it was rendered)


@roles(*PROVINCE_ROLES)
def home(request):
    form, campaign, areas, filters = _filtered(request)
    query = request.GET.urlencode()
    charts, charts_html = [], ""
    if campaign:
        stamp, tables = selectors.counted_tables(request.user, filters, areas)
        charts = [tables[key] for key in selectors.CHART_KEYS if key in tables]
        charts_html = _charts_html(request, filters, stamp, charts, query)
    return render(
        request,
        "dashboard/home.html",
        {"filter_form": form, "campaign": campaign, "charts": charts, "charts_html": charts_html, "query": query},
    )


@roles(*PROVINCE_ROLES)
def export(request, chart):
    """The table of `chart` under the same filters as the page, as .xlsx."""
    if chart not in selectors.CHART_KEYS:
        raise Http404
    _form, campaign, areas, filters = _filtered(request)
    if campaign is None:
        raise Http404
    table = selectors.dashboard_tables(request.user, filters, areas)[chart]
    response = HttpResponse(table_workbook(table, _filters_text(campaign, filters)), content_type=XLSX)
    return as_download(response, filename=f"dashboard-{chart}-{timezone.localdate():%Y%m%d}.xlsx")
