"""Reads of the notices app. Every one starts from Notice.objects.visible_to."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from notices.models import Attachment, ContactInfo, Notice, State


def notices_for(user, *, query: str = "", state: str = ""):
    """The notices `user` may see, newest first, each annotated with `unread` and
    `attachment_count`, optionally narrowed by a search in title and document number
    and by state. One query per page, whatever the number of rows."""
    notices = Notice.objects.visible_to(user).with_unread(user)
    if query:
        notices = notices.filter(Q(title__icontains=query) | Q(doc_number__icontains=query))
    if state in State.values:
        notices = notices.filter(state=state)
    # A correlated subquery rather than a JOIN with GROUP BY: the paginator's COUNT then
    # drops it, and the text (`body`) of the notices is never read for a list.
    attachments = (
        Attachment.objects.filter(notice=OuterRef("pk")).order_by().values("notice").annotate(n=Count("pk")).values("n")
    )
    return (
        notices.annotate(attachment_count=Coalesce(Subquery(attachments, output_field=IntegerField()), 0))
        .defer("body")
        .newest_first()
    )


def latest_notices_for(user, *, limit: int = 5) -> list:
    """The `limit` newest published notices `user` may see, with `unread` annotated
    (always False without login). Used by the home pages."""
    return list(Notice.objects.visible_to(user).published().with_unread(user).defer("body").newest_first()[:limit])


def contact_info() -> ContactInfo | None:
    """The contact page's row with its people, or None before anyone has filled it in."""
    return ContactInfo.objects.filter(pk=ContactInfo.SINGLETON_PK).prefetch_related("people").first()
