"""Reads of the notifications app. Every one starts from Notification.objects.visible_to."""

from core.caching import get_or_compute_once
from notifications.models import Notification

# The bell shows the count on every signed-in page. Every write of a notification or a
# read mark forgets it (notifications.services.forget_unread_counts), so this is only the
# limit for a write that bypassed them (an UPDATE in a shell).
UNREAD_CACHE_SECONDS = 60


def unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notifications_for(user, *, only_unread: bool = False):
    """`user`'s own notifications, newest first, with the actor loaded: one query per
    page whatever the number of rows."""
    notifications = Notification.objects.visible_to(user).select_related("actor").newest_first()
    return notifications.unread() if only_unread else notifications


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread: one COUNT on the (recipient,
    read_at) index, kept in the cache until the next write; 0 without login."""
    if not user.is_authenticated:
        return 0
    return get_or_compute_once(
        unread_key(user.pk), lambda: Notification.objects.visible_to(user).unread().count(), UNREAD_CACHE_SECONDS
    )
