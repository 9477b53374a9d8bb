"""What waits in the notices app (core.todos): the provincial office's drafts to publish
(the naming announcement's notice among them)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import PROVINCE_ROLES
from core.todos import Todo, as_day, provides
from notices.models import Notice, State


@provides(*PROVINCE_ROLES)
def drafts(user, today):
    waiting = (
        Notice.objects.visible_to(user).filter(state=State.DRAFT).aggregate(n=Count("pk"), since=Min("created_at"))
    )
    if waiting["n"]:
        yield Todo(
            key="notices.publish",
            text=_("Publish or finish the draft notices"),
            url=f"{reverse('notices:list')}?state={State.DRAFT}",
            count=waiting["n"],
            since=as_day(waiting["since"]),
        )
