from django import template
from django.utils import timezone

from workdays import calendar, selectors
from workdays.permissions import can_keep_calendar

register = template.Library()


@register.inclusion_tag("workdays/includes/basis_note.html")
def workday_basis_note(start, end=None):
    """Under a working-day figure: which years of the span from `start` to `end` (dates
    or years; `end` defaults to today) are counted Monday to Friday for want of a
    holiday arrangement. Says nothing when every year is known, or `start` is None."""
    years = calendar.weekday_only_years(start, end or timezone.localdate()) if start else []
    return {"years": "、".join(map(str, years))}


@register.inclusion_tag("workdays/includes/todo.html", takes_context=True)
def holiday_arrangement_todo(context):
    """On the home page of those who keep the calendar: the years to enter now."""
    user = context["user"]
    return {"years": selectors.years_to_enter() if can_keep_calendar(user) else []}
