"""The words for the figures of a subtree, shared by the pages and the documents."""

from django.utils.translation import gettext_lazy as _

from applications.models import State

STATISTIC_LABELS = {
    "units": _("Units"),
    "with_plan": _("Units with a creation plan"),
    "not_started": _("Units not started"),
    "overdue_steps": _("Overdue plan steps"),
    "units_with_overdue": _("Units with overdue steps"),
    "applications_total": _("Units that applied"),
    "named": _("Named sites"),
}


def state_label(state: str) -> str:
    """The application state's name, for a column headed by state."""
    try:
        return str(State(state).label)
    except ValueError:
        return state
