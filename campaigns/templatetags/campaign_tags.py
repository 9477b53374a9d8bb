from django import template

from campaigns.scoring import format_score

register = template.Library()


@register.filter
def score(value) -> str:
    """A Decimal score as people write it: 100, 2.5, 16.25 (no trailing zeros)."""
    if value is None or value == "":
        return ""
    return format_score(value)


@register.filter
def percent(ratio) -> str:
    """A ratio of 0..1 as a percentage: 0.60 → 60."""
    if ratio is None or ratio == "":
        return ""
    return format_score(ratio * 100)
