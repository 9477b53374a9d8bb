"""ICC(2,1) and ICC(2,k) against the worked example of Shrout & Fleiss (1979)."""

from decimal import Decimal
from fractions import Fraction
from itertools import permutations

import pytest

from inspections.aggregation import Agreement, icc_agreement

# Shrout & Fleiss (1979), Table 2: 6 targets (rows) rated by 4 judges (columns).
TABLE_2 = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def _mean_squares(ratings):
    """BMS, JMS and EMS of a two-way ANOVA, in exact fractions: the test's own arithmetic,
    independent of the module's floats."""
    n, k = len(ratings), len(ratings[0])
    cells = [[Fraction(score) for score in row] for row in ratings]
    grand = sum(sum(row) for row in cells) / (n * k)
    row_means = [sum(row) / k for row in cells]
    column_means = [sum(row[j] for row in cells) / n for j in range(k)]
    between_targets = k * sum((mean - grand) ** 2 for mean in row_means) / (n - 1)
    between_judges = n * sum((mean - grand) ** 2 for mean in column_means) / (k - 1)
    residual = sum((cells[i][j] - row_means[i] - column_means[j] + grand) ** 2 for i in range(n) for j in range(k)) / (
        (n - 1) * (k - 1)
    )
    return between_targets, between_judges, residual


def test_icc_mean_squares_of_table_2_match_the_published_ones():
    bms, jms, ems = _mean_squares(TABLE_2)
    assert (round(float(bms), 2), round(float(jms), 2), round(float(ems), 2)) == (11.24, 32.49, 1.02)


def test_icc_shrout_fleiss_table_2_gives_the_published_values():
    agreement = icc_agreement(TABLE_2)
    assert (agreement.targets, agreement.raters) == (6, 4)
    assert round(agreement.single, 2) == 0.29
    assert round(agreement.average, 2) == 0.62
    assert round(agreement.single, 4) == 0.2898
    assert round(agreement.average, 4) == 0.6201


def test_icc_shrout_fleiss_table_2_equals_the_formulas_on_exact_mean_squares():
    bms, jms, ems = _mean_squares(TABLE_2)
    n, k = 6, 4
    single = (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)
    average = (bms - ems) / (bms + (jms - ems) / n)
    assert (bms, jms, ems) == (Fraction(1349, 120), Fraction(2339, 72), Fraction(367, 360))
    assert single == Fraction(184, 635)  # 0.28976...
    assert average == Fraction(736, 1187)  # 0.62005...
    agreement = icc_agreement(TABLE_2)
    assert agreement.single == pytest.approx(float(single), rel=1e-12)
    assert agreement.average == pytest.approx(float(average), rel=1e-12)


def test_icc_decimal_scores_give_the_same_result_as_numbers():
    as_decimals = [[Decimal(score) for score in row] for row in TABLE_2]
    assert icc_agreement(as_decimals) == icc_agreement(TABLE_2)


def test_icc_is_none_with_one_rater():
    assert icc_agreement([[3], [4], [5]]) == Agreement(single=None, average=None, targets=3, raters=1)


def test_icc_is_none_with_one_target():
    assert icc_agreement([[3, 4, 5]]) == Agreement(single=None, average=None, targets=1, raters=3)


def test_icc_is_none_without_ratings():
    assert icc_agreement([]) == Agreement(single=None, average=None, targets=0, raters=0)


@pytest.mark.parametrize("score", [0, 2.5, Decimal("4.5"), 0.1])
def test_icc_is_none_when_every_score_is_equal(score):
    # 0.1 is not exact in binary: the zero denominator must still be found.
    assert icc_agreement([[score] * 4 for _ in range(5)]) == Agreement(single=None, average=None, targets=5, raters=4)


def test_icc_is_invariant_when_raters_are_permuted():
    expected = icc_agreement(TABLE_2)
    for order in permutations(range(4)):
        permuted = [[row[j] for j in order] for row in TABLE_2]
        assert icc_agreement(permuted) == expected


def test_icc_is_invariant_when_targets_are_permuted():
    assert icc_agreement(list(reversed(TABLE_2))) == icc_agreement(TABLE_2)


def test_icc_is_one_when_raters_agree_perfectly():
    agreement = icc_agreement([[score] * 3 for score in (1, 2, 4, 5)])
    assert (agreement.single, agreement.average) == (1.0, 1.0)


def test_icc_rejects_ragged_rows():
    with pytest.raises(ValueError, match="every rater"):
        icc_agreement([[1, 2, 3], [1, 2]])


def test_icc_rejects_non_finite_scores():
    with pytest.raises(ValueError, match="finite"):
        icc_agreement([[1, 2], [3, float("nan")]])
