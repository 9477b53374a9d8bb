"""What waits for the three administrators (core.todos): privileged account changes that a
second administrator must approve (accounts.grants)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.grants import decidable_by
from core.roles import IT_ROLES
from core.todos import provides, waiting_in


@provides(*IT_ROLES)
def privileged_changes(user, today):
    yield from waiting_in(
        decidable_by(user),
        since="requested_at",
        key="accounts.privileged_changes",
        text=_("Approve or reject changes of privileged accounts"),
        url=reverse("accounts:grant-list"),
    )
