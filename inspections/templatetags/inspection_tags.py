from django import template

register = template.Library()


@register.filter
def icc(value) -> str:
    """An intraclass correlation with 2 decimals; "—" where it is undefined (no spread at
    all, one rater) or outside -1..1, which the ICC(2,k) formula gives for degenerate data."""
    if value is None or not -1 <= value <= 1:
        return "—"
    return f"{value:.2f}"
