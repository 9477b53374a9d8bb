from django import template
from django.utils.html import format_html

from applications.models import State

register = template.Library()

# The colour of each state's badge; blue for the states not named.
BADGE_COLOURS = {
    State.RETURNED: "text-bg-danger",
    State.REJECTED: "text-bg-danger",
    State.AWAITING_INSPECTION: "text-bg-success",
    State.DRAFT: "text-bg-secondary",
}


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None: for per-indicator values kept in a dict."""
    return mapping.get(key) if mapping else None


# A filter rather than an included template: a list shows one badge per row, and an
# include costs a template render each.
@register.filter
def state_badge(application):
    """The badge of `application`'s state: its name, coloured by what it asks of the reader."""
    return format_html(
        '<span class="badge {}" data-state="{}">{}</span>',
        BADGE_COLOURS.get(application.state, "text-bg-primary"),
        application.state,
        application.get_state_display(),
    )
