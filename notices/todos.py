"""What waits in the notices app (core.todos): the provincial office's drafts to publish
(the naming announcement's notice among them)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import PROVINCE_ROLES
from core.todos import provides, waiting_in
from notices.models import Notice, State


@provides(*PROVINCE_ROLES)
def drafts(user, today):
    yield from waiting_in(
        Notice.objects.visible_to(user).filter(state=State.DRAFT),
        since="created_at",
        key="notices.publish",
        text=_("Publish or finish the draft notices"),
        url=f"{reverse('notices:list')}?state={State.DRAFT}",
    )
