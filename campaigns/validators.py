"""Field validators shared by the models, the forms that edit them and the scoring rule."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCORE_STEP = Decimal("0.5")


def is_half_step(value: Decimal) -> bool:
    return value % SCORE_STEP == 0


def validate_half_step(value: Decimal) -> None:
    """Scores go by 0.5 (DESIGN.md §4), so a maximum must be reachable in those steps."""
    if value is not None and not is_half_step(value):
        raise ValidationError(
            _("Scores go in steps of 0.5: use a value such as 2, 2.5 or 3."), code="half_step", params={"value": value}
        )


def validate_positive_score(value: Decimal) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("The maximum score must be greater than 0."), code="not_positive")
