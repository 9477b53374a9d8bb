from django import template
from django.utils import timezone

from workdays import calendar

register = template.Library()


@register.inclusion_tag("workdays/includes/basis_note.html")
def workday_basis_note(start, end=None):
    """Under a working-day figure: which years of the span from `start` to `end` (dates
    or years; `end` defaults to today) are counted Monday to Friday for want of a
    holiday arrangement. Says nothing when every year is known, or `start` is None."""
    years = calendar.weekday_only_years(start, end or timezone.localdate()) if start else []
    return {"years": "、".join(map(str, years))}
