"""`{% personal_number obj "phone" %}`: a personal number masked, with the control that
shows it whole to a user who may see it (core.pii.can_unmask). One include everywhere."""

from django import template

from core import pii

register = template.Library()


@register.inclusion_tag("includes/personal_number.html", takes_context=True)
def personal_number(context, obj, field):
    number = pii.personal_number_of(obj, field)
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "masked": pii.masked(obj, field),
        "key": number.key,
        "pk": obj.pk,
        # An empty number has nothing to reveal.
        "can_unmask": bool(getattr(obj, field)) and pii.can_unmask(user, obj, field),
        "csrf_token": context.get("csrf_token"),
    }
