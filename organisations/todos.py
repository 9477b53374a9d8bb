"""What waits in the organisation tree (core.todos): units' self-registrations to
approve, for the association above them and the provincial office."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from core.todos import Todo, as_day, provides
from organisations.models import Organisation
from organisations.permissions import MANAGERS


@provides(*MANAGERS)
def registrations(user, today):
    pending = Organisation.objects.visible_to(user).units().pending().aggregate(n=Count("pk"), since=Min("created_at"))
    if pending["n"]:
        yield Todo(
            key="organisations.registrations",
            text=_("Approve or refuse the units' registrations"),
            url=reverse("organisations:registrations"),
            count=pending["n"],
            since=as_day(pending["since"]),
        )
