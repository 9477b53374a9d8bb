"""What materials/includes/indicator_evidence.html needs for one indicator, computed so
that a page including it for all twenty indicators costs one query, not twenty."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from materials import permissions, selectors
from materials.forms import EvidenceUploadForm

register = template.Library()

CACHE_ATTRIBUTE = "_materials_evidence"
URLS_ATTRIBUTE = "_materials_evidence_urls"


@dataclass(frozen=True)
class EvidencePanel:
    materials: list
    can_change: bool
    form: EvidenceUploadForm | None
    # The first panel of a page brings the upload script along (progress bar, size check).
    first: bool
    # Where the forms post and come back to: the same for every panel of a page.
    upload_url: str
    next_url: str


def _evidence_of(request, unit, campaign) -> tuple[dict, bool, bool]:
    """The evidence of `unit` by indicator, whether the viewer may change it, and whether
    this is the page's first ask. Kept on the request: every include of one page reads
    the same queries once."""
    viewer = getattr(request, "user", None)
    cache = request.__dict__.setdefault(CACHE_ATTRIBUTE, {}) if request is not None else {}
    first = not cache
    key = (unit.pk, campaign.pk, getattr(viewer, "pk", None))
    if key not in cache:
        cache[key] = (
            selectors.evidence_by_indicator(unit=unit, campaign=campaign, viewer=viewer),
            viewer is not None and permissions.can_change_materials(viewer, unit, campaign),
        )
    evidence, can_change = cache[key]
    return evidence, can_change, first


@register.simple_tag(takes_context=True)
def evidence_panel(context, unit, campaign, indicator) -> EvidencePanel:
    """The current evidence of `unit` for `indicator` that the signed-in user may see,
    whether that user may change it, and the upload form: the failed one of the
    context's `evidence_form` when it was for this indicator, a fresh one otherwise."""
    request = context.get("request")
    evidence, can_change, first = _evidence_of(request, unit, campaign)
    form = None
    if can_change:
        failed = context.get("evidence_form")
        if failed is not None and str(failed.data.get("indicator")) == str(indicator.pk):
            form = failed
        else:
            form = EvidenceUploadForm(
                campaign=campaign, auto_id=f"id_evidence{indicator.pk}_%s", initial={"indicator": indicator.pk}
            )
    return EvidencePanel(
        materials=evidence.get(indicator.pk, []),
        can_change=can_change,
        form=form,
        first=first,
        **_urls_of_page(request, context.get("next_url")),
    )


def _urls_of_page(request, next_url) -> dict:
    """Where every panel's forms post and come back to, found once per page rather than
    twice per indicator."""
    cache = request.__dict__.setdefault(URLS_ATTRIBUTE, {}) if request is not None else {}
    if next_url not in cache:
        cache[next_url] = {
            "upload_url": reverse("materials:evidence-upload"),
            "next_url": next_url or (request.get_full_path() if request is not None else ""),
        }
    return cache[next_url]
