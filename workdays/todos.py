"""What waits in the working-day calendar (core.todos): the holiday arrangement of this
year, and from 1 November of the next, where neither the province nor the installed
package has it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.todos import Todo, provides
from workdays import selectors
from workdays.permissions import KEEPERS


@provides(*KEEPERS)
def holiday_arrangement(user, today):
    for year in selectors.years_to_enter(today):
        yield Todo(
            key="workdays.arrangement",
            text=_("Enter the holiday arrangement for %(year)s") % {"year": year},
            url=reverse("workdays:year-edit", args=[year]),
            detail=_("Until it is entered, waiting times and deadlines count Monday to Friday."),
            overdue=year == today.year,
        )
