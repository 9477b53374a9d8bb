"""The team's result per indicator: mean, trimmed mean, spread and flags, on generated teams.
Results are exact Fractions; only what is shown is rounded (campaigns.scoring.show_score)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scoring import show_score
from inspections.aggregation import (
    MEAN,
    TRIMMED,
    IndicatorAggregate,
    aggregate_matrix,
    aggregate_values,
)

# Scores on the 0.5 grid between 0 and 5, as an inspector enters them.
scores = st.integers(min_value=0, max_value=10).map(lambda halves: Decimal(halves) / 2)
teams = st.lists(scores, min_size=1, max_size=9)
methods = st.sampled_from([MEAN, TRIMMED])

LIMIT = Decimal("2")
# The trimmed mean drops one highest and one lowest score from teams of this size up (a
# number of the rule, not read from the module: a wrong threshold there must fail here).
SMALLEST_TRIMMED_TEAM = 5

# The generated tests run with deadline=None: CI machines are slow.


def _plain_mean(values):
    return Fraction(sum(values)) / len(values)


@settings(deadline=None)
@given(team=teams, method=methods)
def test_aggregate_lies_between_min_and_max_for_any_team(team, method):
    assert min(team) <= aggregate_values(team, method=method) <= max(team)


@settings(deadline=None)
@given(team=teams, method=methods)
def test_aggregate_is_exact_for_any_team(team, method):
    value = aggregate_values(team, method=method)
    kept = sorted(team)[1:-1] if method == TRIMMED and len(team) >= SMALLEST_TRIMMED_TEAM else team
    assert isinstance(value, Fraction)
    assert value * len(kept) == sum(kept)


@settings(deadline=None)
@given(data=st.data(), team=teams, method=methods)
def test_aggregate_ignores_the_order_of_inspectors_for_any_permutation(data, team, method):
    permuted = data.draw(st.permutations(team))
    assert aggregate_values(permuted, method=method) == aggregate_values(team, method=method)


@settings(deadline=None)
@given(data=st.data(), team=teams, method=methods)
def test_aggregate_matrix_ignores_the_order_of_inspectors_for_any_permutation(data, team, method):
    permuted = data.draw(st.permutations(team))
    original = aggregate_matrix({1: team}, method=method, spread_limit=LIMIT)[1]
    reordered = aggregate_matrix({1: permuted}, method=method, spread_limit=LIMIT)[1]
    assert (reordered.value, reordered.minimum, reordered.maximum, reordered.dropped, reordered.flagged) == (
        original.value,
        original.minimum,
        original.maximum,
        original.dropped,
        original.flagged,
    )


@settings(deadline=None)
@given(team=teams)
def test_aggregate_mean_is_the_plain_mean_for_any_team(team):
    assert aggregate_values(team, method=MEAN) == _plain_mean(team)
    assert aggregate_matrix({1: team}, method=MEAN, spread_limit=LIMIT)[1].dropped == ()


@settings(deadline=None)
@given(team=st.lists(scores, min_size=SMALLEST_TRIMMED_TEAM, max_size=9))
def test_trimmed_drops_one_lowest_and_one_highest_with_five_or_more(team):
    ordered = sorted(team)
    assert aggregate_values(team, method=TRIMMED) == _plain_mean(ordered[1:-1])
    aggregate = aggregate_matrix({1: team}, method=TRIMMED, spread_limit=LIMIT)[1]
    assert aggregate.value == _plain_mean(ordered[1:-1])
    assert aggregate.dropped == (min(team), max(team))


@settings(deadline=None)
@given(team=st.lists(scores, min_size=1, max_size=SMALLEST_TRIMMED_TEAM - 1))
def test_trimmed_falls_back_to_the_mean_with_fewer_than_five(team):
    assert aggregate_values(team, method=TRIMMED) == aggregate_values(team, method=MEAN) == _plain_mean(team)
    assert aggregate_matrix({1: team}, method=TRIMMED, spread_limit=LIMIT)[1].dropped == ()


@settings(deadline=None)
@given(team=teams, method=methods, limit=scores)
def test_flagged_iff_spread_exceeds_the_limit_for_any_team(team, method, limit):
    aggregate = aggregate_matrix({1: team}, method=method, spread_limit=limit)[1]
    assert aggregate.spread == max(team) - min(team)
    assert aggregate.flagged is (aggregate.spread > limit)


@settings(deadline=None)
@given(team_size=st.integers(min_value=1, max_value=9), data=st.data(), method=methods)
def test_aggregate_matrix_keeps_rows_and_key_order_for_any_sheet(team_size, data, method):
    ids = data.draw(st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=20, unique=True))
    matrix = {indicator_id: data.draw(st.lists(scores, min_size=team_size, max_size=team_size)) for indicator_id in ids}
    result = aggregate_matrix(matrix, method=method, spread_limit=LIMIT)
    assert list(result) == ids
    for indicator_id, row in matrix.items():
        assert result[indicator_id].indicator_id == indicator_id
        assert result[indicator_id].scores == tuple(row)
        assert result[indicator_id].value == aggregate_values(row, method=method)


def test_mean_is_exact_and_shown_rounded_half_up_with_a_tie():
    value = aggregate_values([Decimal("0.5"), Decimal("0"), Decimal("0"), Decimal("0")], method=MEAN)
    # 0.125: ROUND_HALF_EVEN would show 0.12.
    assert (value, show_score(value)) == (Fraction(1, 8), "0.13")


def test_mean_of_thirds_is_kept_exact():
    value = aggregate_values([Decimal("1"), Decimal("2"), Decimal("2")], method=MEAN)
    assert (value, show_score(value), value * 3) == (Fraction(5, 3), "1.67", 5)


def test_a_team_of_four_is_not_trimmed_and_a_team_of_five_is():
    four = [Decimal("5"), Decimal("1"), Decimal("0"), Decimal("2")]
    assert aggregate_values(four, method=TRIMMED) == Fraction(8, 4)
    assert aggregate_matrix({1: four}, method=TRIMMED, spread_limit=LIMIT)[1].dropped == ()
    five = [*four, Decimal("3")]
    assert aggregate_values(five, method=TRIMMED) == Fraction(6, 3)
    assert aggregate_matrix({1: five}, method=TRIMMED, spread_limit=LIMIT)[1].dropped == (Decimal("0"), Decimal("5"))


def test_trimmed_with_five_members_drops_the_extremes():
    team = [Decimal("5"), Decimal("1"), Decimal("0"), Decimal("3"), Decimal("2")]
    aggregate = aggregate_matrix({7: team}, method=TRIMMED, spread_limit=LIMIT)[7]
    assert aggregate == IndicatorAggregate(
        indicator_id=7,
        scores=tuple(team),
        value=Fraction(2),
        minimum=Decimal("0"),
        maximum=Decimal("5"),
        dropped=(Decimal("0"), Decimal("5")),
        flagged=True,
    )
    assert aggregate.spread == Decimal("5")


def test_trimmed_with_equal_extremes_drops_one_of_each():
    team = [Decimal("4")] * 5
    assert aggregate_matrix({1: team}, method=TRIMMED, spread_limit=LIMIT)[1].dropped == (Decimal("4"), Decimal("4"))


def test_flagged_not_with_spread_equal_to_the_limit():
    aggregate = aggregate_matrix({1: [Decimal("1"), Decimal("3")]}, method=MEAN, spread_limit=LIMIT)[1]
    assert aggregate.spread == Decimal("2")
    assert aggregate.flagged is False


def test_flagged_with_spread_above_the_limit():
    aggregate = aggregate_matrix({1: [Decimal("1"), Decimal("3.5")]}, method=MEAN, spread_limit=LIMIT)[1]
    assert aggregate.spread == Decimal("2.5")
    assert aggregate.flagged is True


def test_flagged_uses_a_limit_of_two_by_default():
    flags = aggregate_matrix({1: [Decimal("0"), Decimal("2")], 2: [Decimal("0"), Decimal("2.5")]}, method=MEAN)
    assert [flags[1].flagged, flags[2].flagged] == [False, True]


def test_aggregate_matrix_of_no_indicators_is_empty():
    assert aggregate_matrix({}, method=MEAN, spread_limit=LIMIT) == {}


@pytest.mark.parametrize("method", [MEAN, TRIMMED])
def test_aggregate_rejects_empty_values(method):
    with pytest.raises(ValueError, match="No scores"):
        aggregate_values([], method=method)


def test_aggregate_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="Unknown aggregation method"):
        aggregate_values([Decimal("1")], method="median")


def test_aggregate_matrix_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="Unknown aggregation method"):
        aggregate_matrix({1: [Decimal("1")]}, method="median", spread_limit=LIMIT)


@pytest.mark.parametrize("bad", [1.5, 1, "1.5", None])
def test_aggregate_rejects_non_decimal_values(bad):
    with pytest.raises(TypeError, match="must be Decimal"):
        aggregate_values([Decimal("1"), bad], method=MEAN)


def test_aggregate_matrix_rejects_float_scores():
    with pytest.raises(TypeError, match="must be Decimal"):
        aggregate_matrix({1: [Decimal("1"), 2.5]}, method=MEAN, spread_limit=LIMIT)


def test_aggregate_rejects_non_finite_values():
    with pytest.raises(ValueError, match="finite"):
        aggregate_values([Decimal("1"), Decimal("NaN")], method=MEAN)


def test_aggregate_matrix_rejects_ragged_rows():
    with pytest.raises(ValueError, match="same number of scores"):
        aggregate_matrix({1: [Decimal("1"), Decimal("2")], 2: [Decimal("1")]}, method=MEAN, spread_limit=LIMIT)


def test_aggregate_matrix_rejects_an_empty_row():
    with pytest.raises(ValueError, match="No scores for indicator"):
        aggregate_matrix({1: [], 2: []}, method=MEAN, spread_limit=LIMIT)


def test_aggregate_matrix_rejects_a_float_spread_limit():
    with pytest.raises(TypeError, match="spread limit"):
        aggregate_matrix({1: [Decimal("1")]}, method=MEAN, spread_limit=2.0)
