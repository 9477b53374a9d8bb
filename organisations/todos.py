"""What waits in the organisation tree (core.todos): units' self-registrations to
approve, for the association above them and the provincial office."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.todos import provides, waiting_in
from organisations.models import Organisation
from organisations.permissions import MANAGERS


@provides(*MANAGERS)
def registrations(user, today):
    yield from waiting_in(
        Organisation.objects.visible_to(user).units().pending(),
        since="created_at",
        key="organisations.registrations",
        text=_("Approve or refuse the units' registrations"),
        url=reverse("organisations:registrations"),
    )
