"""The team's result is decided on exact values: each indicator's team mean, the category
subtotals and the total stay exact (fractions of a point), the naming threshold and the
category minimums are compared on them, and only what is shown is rounded half-up to
0.01. The expected figures are worked out here by hand (the default trial standard:
four categories of five indicators, 5 points each, threshold 85, categories at least 15)."""

from decimal import Decimal as D

from inspections.models import Result
from inspections.services import scoring
from tests.inspections import factories


def _finalised(world, rows):
    """A finalised inspection whose team gave `rows` (20 indicators in the standard's
    order, each the scores of every inspector, the leader's first)."""
    size = len(rows[0])
    campaign = factories.application_factories.campaign()
    campaign.team_size = size
    campaign.save(update_fields=["team_size"])
    inspection = factories.planned(world, team=factories.pool(world, size))
    sheets = list(inspection.sheets.select_related("inspector__user").order_by("pk"))
    for index, sheet in enumerate(sheets):
        factories.score_sheet(sheet, [row[index] for row in rows])
    leader = inspection.members.get(is_leader=True).inspector.user
    scoring.finalise_inspection(actor=leader, inspection=inspection)
    return Result.objects.get(inspection=inspection)


def test_three_inspectors_reaching_exactly_85_are_recommended(world):
    # 15 indicators of 4 / 4.5 / 4.5 (13/3 each: 65) and 5 of 4 / 4 / 4 (20): exactly 85.
    # Rounding each mean first made it 15 × 4.33 + 20 = 84.95, below the threshold.
    rows = [[D("4"), D("4.5"), D("4.5")]] * 15 + [[D("4")] * 3] * 5
    result = _finalised(world, rows)
    data = result.data
    assert (data["total"], data["total_exact"], result.total, result.meets_standard) == ("85.00", "85", D("85"), True)
    assert [category["subtotal"] for category in data["categories"]] == ["21.67", "21.67", "21.67", "20.00"]
    assert [category["subtotal_exact"] for category in data["categories"]] == ["65/3", "65/3", "65/3", "20"]
    assert data["indicators"][0]["value"] == "4.33"
    assert data["indicators"][0]["value_exact"] == "13/3"
    # Each inspector's own total and subtotals, beside the team's.
    assert [(member["total"], member["subtotals"]) for member in data["team"]] == [
        ("80.00", ["20.00", "20.00", "20.00", "20.00"]),
        ("87.50", ["22.50", "22.50", "22.50", "20.00"]),
        ("87.50", ["22.50", "22.50", "22.50", "20.00"]),
    ]


def test_a_category_whose_means_add_up_to_22_5_shows_22_50(world):
    # 3 × 13/3 + 4.5 + 5 = 22.5 exactly; 3 × 4.33 + 4.5 + 5 = 22.49.
    first = [[D("4"), D("4.5"), D("4.5")]] * 3 + [[D("4.5")] * 3, [D("5")] * 3]
    result = _finalised(world, first + [[D("5")] * 3] * 15)
    assert result.data["categories"][0]["subtotal"] == "22.50"
    assert result.data["total"] == "97.50"


def test_seven_inspectors_just_under_85_are_not_recommended(world):
    # Means of 34/7 (9 indicators), 26.5/7 (10) and 23.5/7 (1): exactly 84 13/14 = 84.93.
    # Rounded one by one they added up to 85.00 and the unit was recommended.
    high = [D("5")] * 6 + [D("4")]  # 34
    middle = [D("4")] * 5 + [D("3.5"), D("3")]  # 26.5
    low = [D("4"), D("4"), D("3.5")] + [D("3")] * 4  # 23.5
    result = _finalised(world, [high] * 9 + [middle] * 10 + [low])
    data = result.data
    assert (data["total"], data["total_exact"], result.meets_standard) == ("84.93", "1189/14", False)
    assert [reason["code"] for reason in data["reasons"]] == ["total"]


def test_eight_inspectors_at_84_9375_are_not_recommended(world):
    # 19 indicators of 4.25 and one of 4.1875: 84.9375, shown 84.94.
    quarter = [D("4")] * 4 + [D("4.5")] * 4
    result = _finalised(world, [quarter] * 19 + [[D("4")] * 5 + [D("4.5")] * 3])
    assert (result.data["total"], result.data["total_exact"], result.meets_standard) == ("84.94", "1359/16", False)
