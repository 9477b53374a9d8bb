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


def format_certificate_number(pattern: str, *, year: int, serial: int) -> str:
    """A certificate or registration number from a campaign's pattern: {year} and
    {serial} (with an optional format such as {serial:03d}) are the only placeholders."""
    return pattern.format(year=year, serial=serial)


def validate_certificate_pattern(value: str) -> None:
    """The pattern must give a different number for every serial and name nothing else."""
    _validate_number_pattern(
        value, _("Use {year} and {serial}, for example 冀人文心理示范〔{year}〕第{serial:03d}号; no other braces.")
    )


def validate_registration_pattern(value: str) -> None:
    """As a certificate pattern; and the year must show, since serials start again each year."""
    message = _("Use {year} and {serial}, for example {year}-{serial:05d}; no other braces.")
    _validate_number_pattern(value, message)
    if format_certificate_number(value, year=2026, serial=1) == format_certificate_number(value, year=2027, serial=1):
        raise ValidationError(message, code="pattern")


def _validate_number_pattern(value: str, message) -> None:
    try:
        first = format_certificate_number(value, year=2026, serial=1)
        second = format_certificate_number(value, year=2026, serial=2)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(message, code="pattern") from None
    if first == second:
        raise ValidationError(message, code="pattern")
