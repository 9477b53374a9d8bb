"""The team's result per indicator and how far the inspectors agree, in pure Python.

Every inspector of a team scores every indicator. Per indicator the team's result is the
campaign's aggregation method applied to those scores, kept exact as a Fraction (a mean
of three inspectors is a third of a point; rounding it here would make the category sums
and the naming threshold decide on rounded figures: campaigns.scoring rounds only what
is shown), and the spread (highest minus lowest) is flagged when it exceeds the campaign's spread
limit. Over the whole score sheet, the agreement of the team is ICC(2,1) and ICC(2,k) of
Shrout & Fleiss (1979): two-way random effects, absolute agreement, the indicators being
the targets (rows) and the inspectors the raters (columns).

Nothing here touches the database; the callers pass plain values.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

MEAN = "mean"
TRIMMED = "trimmed"
METHODS = (MEAN, TRIMMED)
# Dropping two of fewer than five scores would leave the result to one or two inspectors.
TRIM_MIN_TEAM = 5
DEFAULT_SPREAD_LIMIT = Decimal("2")


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"Unknown aggregation method {method!r}: expected one of {', '.join(METHODS)}.")


def _check_scores(values: Sequence[Decimal]) -> None:
    if not values:
        raise ValueError("No scores to aggregate.")
    for value in values:
        # A float has already lost the exact half-point score; an int would hide a caller mixing types.
        if not isinstance(value, Decimal):
            raise TypeError(f"Scores must be Decimal, not {type(value).__name__}: {value!r}.")
        if not value.is_finite():
            raise ValueError(f"Scores must be finite, not {value!r}.")


def _kept_and_dropped(values: Sequence[Decimal], method: str) -> tuple[Sequence[Decimal], tuple[Decimal, ...]]:
    if method == TRIMMED and len(values) >= TRIM_MIN_TEAM:
        ordered = sorted(values)
        return ordered[1:-1], (ordered[0], ordered[-1])
    return values, ()


def _mean(values: Sequence[Decimal]) -> Fraction:
    return Fraction(sum(values, start=Decimal(0))) / len(values)


def aggregate_values(values: Sequence[Decimal], *, method: str) -> Fraction:
    """The team's result for one indicator: the scores combined by `method`, exact.

    MEAN is the plain mean. TRIMMED drops exactly one highest and one lowest score, then
    takes the mean, but only when there are at least TRIM_MIN_TEAM scores; with fewer it is
    the plain mean. The result does not depend on the order of the scores.

    Raises ValueError when `values` is empty, holds a non-finite Decimal or `method` is
    unknown, and TypeError when a value is not a Decimal (floats included).
    """
    _check_method(method)
    _check_scores(values)
    kept, _dropped = _kept_and_dropped(values, method)
    return _mean(kept)


@dataclass(frozen=True)
class IndicatorAggregate:
    """One indicator's scores, the team's result and how far the inspectors differ."""

    indicator_id: int
    scores: tuple[Decimal, ...]  # in the order given
    value: Fraction  # aggregate_values(scores, method), exact
    minimum: Decimal
    maximum: Decimal
    dropped: tuple[Decimal, ...]  # (lowest, highest) the trimmed mean left out, () when nothing was left out
    flagged: bool  # spread > spread_limit

    @property
    def spread(self) -> Decimal:
        """The highest score minus the lowest."""
        return self.maximum - self.minimum


def aggregate_matrix(
    matrix: Mapping[int, Sequence[Decimal]],
    *,
    method: str,
    spread_limit: Decimal = DEFAULT_SPREAD_LIMIT,
) -> dict[int, IndicatorAggregate]:
    """The aggregate of every indicator of a score sheet.

    `matrix` maps an indicator id to the scores of every inspector, the inspectors in the
    same order in every row. The result keeps the key order of `matrix`. An indicator is
    flagged when its spread is strictly greater than `spread_limit`.

    Raises ValueError when `method` is unknown, a row is empty or the rows have different
    lengths (an inspector missing from a row would shift every later column), and the
    errors of `aggregate_values` for bad scores; TypeError when `spread_limit` is not a
    Decimal.
    """
    _check_method(method)
    if not isinstance(spread_limit, Decimal):
        raise TypeError(f"The spread limit must be a Decimal, not {type(spread_limit).__name__}.")
    lengths = {indicator_id: len(row) for indicator_id, row in matrix.items()}
    empty = [indicator_id for indicator_id, length in lengths.items() if length == 0]
    if empty:
        raise ValueError(f"No scores for indicator(s) {', '.join(map(str, empty))}.")
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Every indicator needs the same number of scores, got {lengths}.")

    aggregates = {}
    for indicator_id, row in matrix.items():
        scores = tuple(row)
        _check_scores(scores)
        kept, dropped = _kept_and_dropped(scores, method)
        minimum, maximum = min(scores), max(scores)
        aggregates[indicator_id] = IndicatorAggregate(
            indicator_id=indicator_id,
            scores=scores,
            value=_mean(kept),
            minimum=minimum,
            maximum=maximum,
            dropped=dropped,
            flagged=maximum - minimum > spread_limit,
        )
    return aggregates


@dataclass(frozen=True)
class Agreement:
    """The intraclass correlations of a team, None where they are not defined."""

    single: float | None  # ICC(2,1): the reliability of one inspector
    average: float | None  # ICC(2,k): the reliability of the team's mean
    targets: int  # n (rows)
    raters: int  # k (columns)


def icc_agreement(ratings: Sequence[Sequence[float | Decimal]]) -> Agreement:
    """ICC(2,1) and ICC(2,k) of Shrout & Fleiss (1979), two-way random effects, absolute
    agreement. Rows are the targets (indicators), columns the raters (inspectors).

    From the two-way ANOVA mean squares MSR (rows), MSC (columns) and MSE (residual):

        ICC(2,1) = (MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n)
        ICC(2,k) = (MSR - MSE) / (MSR + (MSC - MSE) / n)

    An ICC is None, not an error, when n < 2, k < 2 or its denominator is 0 (every score
    equal, for one). Computed in float and not rounded: the caller formats. The result does
    not depend on the order of the rows or of the columns.

    Raises ValueError when the rows have different lengths or a score is not finite.
    """
    rows = [[float(score) for score in row] for row in ratings]
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if any(len(row) != k for row in rows):
        raise ValueError(f"Every target needs a score from every rater, got rows of lengths {[len(r) for r in rows]}.")
    if any(not math.isfinite(score) for row in rows for score in row):
        raise ValueError("Scores must be finite.")
    if n < 2 or k < 2:
        return Agreement(single=None, average=None, targets=n, raters=k)

    # The ANOVA does not change under a shift. Shifting by the lowest score (an order-free
    # choice) turns equal scores into exact zeros, so that a zero denominator really is 0.0
    # rather than a rounding residue; fsum keeps sums exact up to one final rounding, so that
    # permuting rows or columns gives the same floats.
    low = min(min(row) for row in rows)
    rows = [[score - low for score in row] for row in rows]
    columns = list(zip(*rows, strict=True))
    grand = math.fsum(score for row in rows for score in row) / (n * k)
    row_means = [math.fsum(row) / k for row in rows]
    column_means = [math.fsum(column) / n for column in columns]

    ss_rows = k * math.fsum((mean - grand) ** 2 for mean in row_means)
    ss_columns = n * math.fsum((mean - grand) ** 2 for mean in column_means)
    ss_error = math.fsum(
        (score - row_means[i] - column_means[j] + grand) ** 2
        for i, row in enumerate(rows)
        for j, score in enumerate(row)
    )
    msr = ss_rows / (n - 1)
    msc = ss_columns / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))

    numerator = msr - mse
    single_denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    average_denominator = msr + (msc - mse) / n
    return Agreement(
        single=numerator / single_denominator if single_denominator != 0 else None,
        average=numerator / average_denominator if average_denominator != 0 else None,
        targets=n,
        raters=k,
    )


def format_icc(value) -> str:
    """An intraclass correlation as pages and documents show it: rounded half-up to 0.01
    by campaigns.scoring.show_score (-1.00, 0.13); "—" when it is undefined (None) or not
    a correlation at all (outside [-1, 1], NaN, not a number)."""
    from campaigns.scoring import show_score

    if isinstance(value, bool) or not isinstance(value, int | float) or not -1 <= value <= 1:  # False for NaN too
        return show_score(None)
    return show_score(value)
