"""Campaign and standard data for tests. (Kept here while tests/factories.py belongs to
the lead; they can move there unchanged.)"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, Category, Indicator, StandardVersion, VersionStatus, VetoItem

_counter = itertools.count(1)
CODES = "一二三四五六七八九十"


def make_campaign(*, name=None, status=CampaignStatus.ACTIVE, start_date=None, **fields) -> Campaign:
    number = next(_counter)
    return Campaign.objects.create(
        name=name or f"示范点创建活动{number}",
        doc_number=fields.pop("doc_number", f"冀研发【2030】{number}号"),
        start_date=start_date or datetime.date(2030, 1, 1),
        status=status,
        **fields,
    )


def make_version(
    *,
    campaign,
    number=1,
    status=VersionStatus.PUBLISHED,
    categories=2,
    indicators_per_category=2,
    max_score=Decimal("5"),
    veto_items=(),
    **fields,
) -> StandardVersion:
    """A version with `categories` × `indicators_per_category` indicators of `max_score`
    each, naming at 85% of the maximum unless `threshold_total` is given."""
    fields.setdefault("threshold_total", Decimal("0.85") * categories * indicators_per_category * max_score)
    if status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
        fields.setdefault("published_at", timezone.now())
    if status == VersionStatus.RETIRED:
        fields.setdefault("retired_at", timezone.now())
    version = StandardVersion.objects.create(campaign=campaign, number=number, status=status, **fields)
    for c in range(1, categories + 1):
        category = Category.objects.create(version=version, order=c, code=CODES[c - 1], name=f"类别{c}")
        for i in range(1, indicators_per_category + 1):
            Indicator.objects.create(
                category=category,
                order=i,
                text=f"指标{c}.{i}",
                max_score=max_score,
                guidance=f"评分说明{c}.{i}",
                evidence=f"佐证材料{c}.{i}",
            )
    for order, text in enumerate(veto_items, start=1):
        VetoItem.objects.create(version=version, order=order, text=text)
    return version


def indicators_of(version) -> list[Indicator]:
    return list(Indicator.objects.filter(category__version=version).order_by("category__order", "order"))


def version_form_data(version, *, indicators=None, settings=None, veto=None) -> dict:
    """The POST of the draft editing page with the saved values, changed by
    `indicators` ({indicator: {field: value}}), `settings` ({field: value}) and `veto`
    (the veto texts typed, one form each)."""
    data = {
        "version-label": version.label,
        "version-threshold_total": str(version.threshold_total),
        "version-category_min_ratio": str(version.category_min_ratio),
        "version-notes": version.notes,
    }
    for name, value in (settings or {}).items():
        data[f"version-{name}"] = value
    changes = {indicator.pk: values for indicator, values in (indicators or {}).items()}
    for indicator in indicators_of(version):
        prefix = f"indicator-{indicator.pk}"
        values = {
            "text": indicator.text,
            "max_score": str(indicator.max_score),
            "guidance": indicator.guidance,
            "evidence": indicator.evidence,
            **changes.get(indicator.pk, {}),
        }
        for name, value in values.items():
            data[f"{prefix}-{name}"] = value
    texts = list(version.veto_items.values_list("text", flat=True)) if veto is None else list(veto)
    data.update({"veto-TOTAL_FORMS": str(len(texts)), "veto-INITIAL_FORMS": str(version.veto_items.count())})
    for index, text in enumerate(texts):
        data[f"veto-{index}-text"] = text
    return data
