"""The team's result of an inspection, computed from its submitted sheets.

`compute_result` reads the sheets and the standard version and returns the content a
Result freezes: every inspector's scores and comments, the aggregate per indicator by
the campaign's method with its spread and flag, the categories against their minima,
the veto items found, the agreement of the team (ICC) and the recommendation with its
reasons. Reasons are stored as codes with their figures, and worded in the reader's
language when shown (`reason_text`).

The team's means, the category subtotals and the total are frozen exact (`*_exact`:
"13/3", "85") beside the figures shown (`value`, `subtotal`, `total`: rounded half-up to
0.01 by campaigns.scoring.show_score); the threshold, the category minima and the
recommendation were decided on the exact values. Each inspector's own total and
category subtotals (of the scores as typed) are frozen with the team.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from campaigns.scoring import compute_totals, evaluate, exact_text, format_score, rounded_score, show_score
from inspections import aggregation


def _number(value: Decimal) -> str:
    return format_score(value)


def compute_result(*, inspection, sheets) -> dict:
    """The frozen content of the result of `inspection` from `sheets` (the team's sheets,
    leader first, each with prefetched `scores` and `vetoes`). Raises ValueError when a
    sheet lacks a score: callers check completeness first."""
    application = inspection.application
    campaign = application.campaign
    version = application.version
    totals = compute_totals(version)
    indicators = [(c, i) for c in totals.categories for i in c.indicators]
    by_sheet = [{row.indicator_id: row for row in sheet.scores.all()} for sheet in sheets]
    matrix = {}
    for _category, indicator in indicators:
        values = []
        for rows in by_sheet:
            row = rows.get(indicator.pk)
            if row is None or row.score is None:
                raise ValueError(f"indicator {indicator.pk} is not scored on every sheet")
            values.append(row.score)
        matrix[indicator.pk] = values
    aggregates = aggregation.aggregate_matrix(
        matrix, method=campaign.aggregation_method, spread_limit=campaign.spread_limit
    )
    vetoes = {}
    for sheet in sheets:
        for item in sheet.vetoes.all():
            entry = vetoes.setdefault(item.pk, {"id": item.pk, "text": item.text, "inspectors": [], "notes": []})
            entry["inspectors"].append(sheet.inspector.name)
            if sheet.veto_note:
                entry["notes"].append(sheet.veto_note)
    evaluation = evaluate(
        version,
        {pk: a.value for pk, a in aggregates.items()},
        vetoed=bool(vetoes),
        totals=totals,
        on_half_steps=False,
    )
    agreement = aggregation.icc_agreement([[float(v) for v in matrix[i.pk]] for _c, i in indicators])
    own = [
        evaluate(version, {i.pk: matrix[i.pk][index] for _c, i in indicators}, totals=totals, on_half_steps=False)
        for index in range(len(sheets))
    ]
    reasons = []
    if vetoes:
        reasons.append({"code": "vetoed", "items": [v["text"] for v in vetoes.values()]})
    if not evaluation.reaches_total:
        reasons.append(
            {"code": "total", "total": show_score(evaluation.total), "threshold": _number(evaluation.threshold_total)}
        )
    for result in evaluation.categories:
        if not result.passed:
            reasons.append(
                {
                    "code": "category",
                    "category": str(result.category),
                    "subtotal": show_score(result.subtotal),
                    "minimum": _number(result.minimum),
                }
            )
    if not reasons:
        reasons.append(
            {"code": "meets", "total": show_score(evaluation.total), "threshold": _number(evaluation.threshold_total)}
        )
    return {
        "version": {"id": version.pk, "label": str(version)},
        "method": campaign.aggregation_method,
        "spread_limit": _number(campaign.spread_limit),
        "team": [
            {
                "inspector": sheet.inspector_id,
                "name": sheet.inspector.name,
                "employer": sheet.inspector.employer,
                "leader": sheet.member.is_leader,
                "sheet": sheet.pk,
                "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
                "total": show_score(mine.total),
                "subtotals": [show_score(category.subtotal) for category in mine.categories],
            }
            for sheet, mine in zip(sheets, own, strict=True)
        ],
        "indicators": [
            {
                "id": indicator.pk,
                "category": category.category.code,
                "order": indicator.order,
                "text": indicator.text,
                "max": _number(indicator.max_score),
                "scores": [_number(v) for v in matrix[indicator.pk]],
                "comments": [rows[indicator.pk].comment for rows in by_sheet],
                "value": show_score(aggregates[indicator.pk].value),
                "value_exact": exact_text(aggregates[indicator.pk].value),
                "lowest": _number(aggregates[indicator.pk].minimum),
                "highest": _number(aggregates[indicator.pk].maximum),
                "spread": _number(aggregates[indicator.pk].spread),
                "flagged": aggregates[indicator.pk].flagged,
                "dropped": [_number(v) for v in aggregates[indicator.pk].dropped],
            }
            for category, indicator in indicators
        ],
        "categories": [
            {
                "name": str(r.category),
                "subtotal": show_score(r.subtotal),
                "subtotal_exact": exact_text(r.subtotal),
                "max": _number(r.max_total),
                "minimum": _number(r.minimum),
                "passed": r.passed,
            }
            for r in evaluation.categories
        ],
        "total": show_score(evaluation.total),
        "total_exact": exact_text(evaluation.total),
        "max_total": _number(evaluation.max_total),
        "threshold": _number(evaluation.threshold_total),
        "vetoes": list(vetoes.values()),
        "vetoed": bool(vetoes),
        "meets_standard": evaluation.meets_threshold,
        "reasons": reasons,
        "agreement": {
            "single": agreement.single,
            "average": agreement.average,
            "targets": agreement.targets,
            "raters": agreement.raters,
        },
    }


def frozen_result(*, inspection, version_id: int, sheets, actor):
    """The team's Result as compute_result gives it, unsaved: what the leader's finalising
    freezes (inspections.services.scoring) and what synthetic data bulk-creates."""
    from inspections.models import Result

    data = compute_result(inspection=inspection, sheets=sheets)
    return Result(
        inspection=inspection,
        version_id=version_id,
        method=data["method"],
        total=rounded_score(data["total_exact"]),
        meets_standard=data["meets_standard"],
        vetoed=data["vetoed"],
        data=data,
        finalised_by=actor,
    )


def reason_text(reason: dict) -> str:
    """One reason of a recommendation in the reader's language."""
    code = reason.get("code")
    if code == "vetoed":
        return _("Veto item found (一票否决): %(items)s") % {"items": "；".join(reason["items"])}
    if code == "total":
        return _("The total %(total)s is below the naming threshold of %(threshold)s.") % reason
    if code == "category":
        return _("%(category)s scores %(subtotal)s, below its minimum of %(minimum)s.") % reason
    return _("The total %(total)s reaches the threshold of %(threshold)s and every category its minimum.") % reason
