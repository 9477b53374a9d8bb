from decimal import Decimal

import pytest

from campaigns.models import Campaign
from campaigns.scoring import compute_totals, evaluate
from campaigns.selectors import current_version
from tests.campaigns.factories import indicators_of, make_campaign, make_version

FIVE = Decimal("5")


@pytest.fixture
def version(db):
    """Version 1 of the 2014 standard: 4 categories × 5 indicators × 5 points, 85 and 60%."""
    return current_version(Campaign.objects.get(doc_number="冀研发【2014】1号"))


def full_marks(version) -> dict:
    return {i.pk: FIVE for i in indicators_of(version)}


def by_category(version) -> dict[str, list]:
    result = {}
    for indicator in indicators_of(version):
        result.setdefault(indicator.category.code, []).append(indicator)
    return result


def test_evaluate_full_marks_meets_threshold(version):
    evaluation = evaluate(version, full_marks(version))
    assert evaluation.total == Decimal("100")
    assert evaluation.max_total == Decimal("100")
    assert [r.subtotal for r in evaluation.categories] == [Decimal("25")] * 4
    assert evaluation.meets_threshold is True


def test_evaluate_exactly_85_meets_threshold(version):
    scores = full_marks(version)
    for code in ("一", "二", "三"):
        scores[by_category(version)[code][0].pk] = Decimal("0")
    evaluation = evaluate(version, scores)
    assert evaluation.total == Decimal("85")
    assert [r.subtotal for r in evaluation.categories] == [Decimal("20"), Decimal("20"), Decimal("20"), Decimal("25")]
    assert evaluation.meets_threshold is True


def test_evaluate_below_85_fails(version):
    scores = full_marks(version)
    for code in ("一", "二", "三"):
        scores[by_category(version)[code][0].pk] = Decimal("0")
    scores[by_category(version)["四"][0].pk] = Decimal("4.5")
    evaluation = evaluate(version, scores)
    assert evaluation.total == Decimal("84.5")
    assert evaluation.all_categories_pass is True
    assert evaluation.reaches_total is False
    assert evaluation.meets_threshold is False


def test_evaluate_category_under_60_percent_fails_even_with_total_above_85(version):
    scores = full_marks(version)
    first = by_category(version)["一"]
    scores.update({first[2].pk: Decimal("4.5"), first[3].pk: Decimal("0"), first[4].pk: Decimal("0")})
    evaluation = evaluate(version, scores)
    assert evaluation.total == Decimal("89.5")
    assert evaluation.reaches_total is True
    result = evaluation.by_category[first[0].category_id]
    assert (result.subtotal, result.minimum, result.passed) == (Decimal("14.5"), Decimal("15"), False)
    assert evaluation.meets_threshold is False


def test_evaluate_category_at_exactly_60_percent_passes(version):
    scores = full_marks(version)
    first = by_category(version)["一"]
    scores.update({first[3].pk: Decimal("0"), first[4].pk: Decimal("0")})
    evaluation = evaluate(version, scores)
    assert evaluation.by_category[first[0].category_id].subtotal == Decimal("15")
    assert evaluation.meets_threshold is True


def test_evaluate_veto_fails_even_with_full_marks(version):
    evaluation = evaluate(version, full_marks(version), vetoed=True)
    assert evaluation.total == Decimal("100")
    assert evaluation.meets_threshold is False


def test_evaluate_counts_missing_scores_as_zero_and_lists_them(version):
    scores = full_marks(version)
    missing = indicators_of(version)[0]
    del scores[missing.pk]
    evaluation = evaluate(version, scores)
    assert evaluation.total == Decimal("95")
    assert evaluation.unscored == frozenset({missing.pk})
    assert evaluation.is_complete is False


def test_evaluate_refuses_an_indicator_of_another_version(version):
    other = make_version(campaign=make_campaign())
    with pytest.raises(ValueError, match="not part of version"):
        evaluate(version, {indicators_of(other)[0].pk: FIVE})


@pytest.mark.parametrize("score", [Decimal("5.5"), Decimal("-0.5"), Decimal("2.3")])
def test_evaluate_refuses_a_score_outside_the_rule(version, score):
    with pytest.raises(ValueError, match="score"):
        evaluate(version, {indicators_of(version)[0].pk: score})


def test_evaluate_refuses_floats(version):
    with pytest.raises(TypeError):
        evaluate(version, {indicators_of(version)[0].pk: 4.5})


def test_evaluate_follows_the_versions_own_threshold_and_ratio(db):
    version = make_version(
        campaign=make_campaign(),
        max_score=Decimal("10"),
        threshold_total=Decimal("30"),
        category_min_ratio=Decimal("0.50"),
    )
    indicators = indicators_of(version)  # two categories of two indicators, 40 in all
    scores = {indicators[0].pk: Decimal("10"), indicators[1].pk: Decimal("10"), indicators[2].pk: Decimal("10")}
    evaluation = evaluate(version, scores, totals=compute_totals(version))
    assert (evaluation.total, evaluation.max_total, evaluation.threshold_total) == (
        Decimal("30"),
        Decimal("40"),
        Decimal("30"),
    )
    assert [r.minimum for r in evaluation.categories] == [Decimal("10"), Decimal("10")]
    assert evaluation.meets_threshold is True


def test_evaluate_reads_a_prefetched_version_without_queries(version, django_assert_num_queries):
    totals = compute_totals(version)
    scores = full_marks(version)
    with django_assert_num_queries(0):
        evaluate(version, scores, totals=totals)
