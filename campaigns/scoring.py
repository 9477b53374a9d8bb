"""The scoring rule of a standard version, in one place.

Self-assessment, inspection scoring, naming and reports all call `evaluate()`; none of
them adds up scores or compares thresholds on its own. Nothing here writes: the functions
read the version's categories and indicators (one query each unless already prefetched)
and compute in Decimal.

The rule (DESIGN.md §4): the version's maximum is the sum of its indicators' maxima; a
category's minimum is the version's ratio times the category's maximum; a unit meets the
threshold when it is not vetoed, its total reaches the version's naming threshold and
no category is under its minimum.

Arithmetic is exact: a person's scores are Decimals on the 0.5 grid, a team's means are
Fractions (a third of a point has no Decimal), and sums and threshold decisions are made
on those exact values. Only what is shown is rounded, half-up to 0.01, by `show_score`
(`rounded_score` for a number a chart or a workbook needs), which every page, document,
workbook and the dashboard use for a total, a subtotal or an average.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from campaigns.models import Category, Indicator, StandardVersion
from campaigns.validators import is_half_step

ZERO = Decimal("0")
# A score, or a sum of scores: exact either way.
Score = Decimal | Fraction


@dataclass(frozen=True)
class CategoryTotals:
    category: Category
    indicators: tuple[Indicator, ...]
    max_total: Decimal
    minimum: Decimal


@dataclass(frozen=True)
class StandardTotals:
    """What follows from a version's point values: the figures a standard page shows."""

    version: StandardVersion
    categories: tuple[CategoryTotals, ...]
    max_total: Decimal
    threshold_total: Decimal
    category_min_ratio: Decimal

    @property
    def indicator_count(self) -> int:
        return sum(len(c.indicators) for c in self.categories)


@dataclass(frozen=True)
class CategoryResult:
    category: Category
    subtotal: Score
    max_total: Decimal
    minimum: Decimal

    @property
    def passed(self) -> bool:
        return self.subtotal >= self.minimum


@dataclass(frozen=True)
class Evaluation:
    """The outcome of a set of scores against one version: Decimal sums of Decimal
    scores, Fraction sums when a score is a Fraction (a team's mean)."""

    total: Score
    max_total: Decimal
    threshold_total: Decimal
    categories: tuple[CategoryResult, ...]
    vetoed: bool
    unscored: frozenset[int]  # indicator ids without a score, counted as 0

    @property
    def by_category(self) -> dict[int, CategoryResult]:
        return {result.category.pk: result for result in self.categories}

    @property
    def reaches_total(self) -> bool:
        return self.total >= self.threshold_total

    @property
    def all_categories_pass(self) -> bool:
        return all(result.passed for result in self.categories)

    @property
    def is_complete(self) -> bool:
        return not self.unscored

    @property
    def meets_threshold(self) -> bool:
        return not self.vetoed and self.reaches_total and self.all_categories_pass


def compute_totals(version: StandardVersion) -> StandardTotals:
    """The maxima and minima of `version`, computed from its indicators."""
    prefetch_related_objects([version], "categories__indicators")
    ratio = version.category_min_ratio
    categories = []
    for category in version.categories.all():
        indicators = tuple(category.indicators.all())
        maximum = sum((i.max_score for i in indicators), ZERO)
        categories.append(
            CategoryTotals(category=category, indicators=indicators, max_total=maximum, minimum=ratio * maximum)
        )
    return StandardTotals(
        version=version,
        categories=tuple(categories),
        max_total=sum((c.max_total for c in categories), ZERO),
        threshold_total=version.threshold_total,
        category_min_ratio=ratio,
    )


def validate_score(score: Decimal, *, max_score: Decimal) -> None:
    """A score a person may give to an indicator: 0 to its maximum, in steps of 0.5.
    Raises ValidationError with a message for the field; forms of later apps call it."""
    if score < 0 or score > max_score:
        raise ValidationError(
            _("The score must be between 0 and %(max)s.") % {"max": format_score(max_score)}, code="out_of_range"
        )
    if not is_half_step(score):
        raise ValidationError(_("Scores go in steps of 0.5: use a value such as 2, 2.5 or 3."), code="half_step")


def evaluate(
    version: StandardVersion,
    scores: Mapping[int, Decimal],
    vetoed: bool = False,
    *,
    totals: StandardTotals | None = None,
    on_half_steps: bool = True,
) -> Evaluation:
    """Evaluate `scores` (indicator id → Decimal) against `version`.

    Indicators without a score count as 0 and are listed in `Evaluation.unscored`, so a
    caller can refuse an incomplete score sheet. A team's aggregate (a mean) need not
    fall on the 0.5 step: pass `on_half_steps=False` to check only the range. Raises TypeError for a score that is not
    a Decimal (floats would round) and ValueError for an indicator of another version or
    a score outside 0..maximum or off the 0.5 step: callers validate input first with
    `validate_score`. A team's means may be Fractions (with `on_half_steps=False`): the
    sums are then exact Fractions. Pass `totals` when you already computed them for this
    version.
    """
    totals = totals or compute_totals(version)
    known = {i.pk: i for c in totals.categories for i in c.indicators}
    exact_means = any(isinstance(score, Fraction) for score in scores.values())
    for indicator_id, score in scores.items():
        if indicator_id not in known:
            raise ValueError(f"indicator {indicator_id} is not part of version {version.pk}")
        if not isinstance(score, Decimal | Fraction) or (isinstance(score, Fraction) and on_half_steps):
            raise TypeError(f"score of indicator {indicator_id} must be a Decimal, not {type(score).__name__}")
        maximum = known[indicator_id].max_score
        if not on_half_steps:
            if not ZERO <= score <= maximum:
                raise ValueError(f"score {score} of indicator {indicator_id} is outside 0..{maximum}")
            continue
        try:
            validate_score(score, max_score=maximum)
        except ValidationError as error:
            raise ValueError(f"score {score} of indicator {indicator_id}: {error.messages[0]}") from error
    # Decimal and Fraction do not add up together: a team's means make every sum a Fraction.
    zero = Fraction(0) if exact_means else ZERO
    if exact_means:
        scores = {indicator_id: Fraction(score) for indicator_id, score in scores.items()}
    results = []
    for category_totals in totals.categories:
        subtotal = sum((scores.get(i.pk, zero) for i in category_totals.indicators), zero)
        results.append(
            CategoryResult(
                category=category_totals.category,
                subtotal=subtotal,
                max_total=category_totals.max_total,
                minimum=category_totals.minimum,
            )
        )
    return Evaluation(
        total=sum((r.subtotal for r in results), zero),
        max_total=totals.max_total,
        threshold_total=totals.threshold_total,
        categories=tuple(results),
        vetoed=vetoed,
        unscored=frozenset(known) - frozenset(scores),
    )


def format_score(value: Decimal) -> str:
    """A score without trailing zeros: 100, 2.5, 16.25."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


SHOWN_PLACES = Decimal("0.01")


def rounded_score(value: Score | int | str) -> Decimal:
    """`value` (exact: a Decimal, a Fraction, an int, or their text such as "13/3" as a
    result stores it) rounded half-up (away from zero on a tie) to 0.01."""
    exact = Fraction(value)
    hundredths = abs(exact) * 100
    whole = (2 * hundredths.numerator + hundredths.denominator) // (2 * hundredths.denominator)
    return Decimal(-whole if exact < 0 else whole).scaleb(-2)


def show_score(value: Score | int | str | None) -> str:
    """A total, subtotal or average as every page, document and workbook shows it: rounded
    half-up to 0.01 with both decimals (84.95, 85.00, -1.00); "—" for None."""
    if value is None:
        return "—"
    return f"{rounded_score(value):f}"


def exact_text(value: Score | int) -> str:
    """An exact value as a result freezes it: "85", "45/2", "13/3" (read back by Fraction())."""
    return str(Fraction(value))


def parse_score(raw: str) -> Decimal | None:
    """A typed score: empty for none yet; anything that is not a number raises ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({"score": _("Enter a number such as 4 or 4.5.")})
    return value
