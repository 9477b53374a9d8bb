"""Reads of the notifications app. Every one starts from Notification.objects.visible_to."""

from notifications.models import Notification


def notifications_for(user, *, only_unread: bool = False):
    """`user`'s own notifications, newest first, with the actor loaded: one query per
    page whatever the number of rows."""
    notifications = Notification.objects.visible_to(user).select_related("actor").newest_first()
    return notifications.unread() if only_unread else notifications


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread: one COUNT on the (recipient,
    read_at) index; 0 without login."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).unread().count()
