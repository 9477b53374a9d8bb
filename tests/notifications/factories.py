"""Notifications for tests, made the way the platform makes them: through notify()."""

from notifications.services import notify


def make_notification(
    *, recipient, title="您的创建方案已收到新的意见", url="", actor=None, kind="plan.commented", **fields
):
    (notification,) = notify(recipients=[recipient], title=title, url=url, actor=actor, kind=kind, **fields)
    return notification


def email_callbacks(callbacks) -> list:
    """The on-commit callbacks of `callbacks` that send e-mail (notify() also forgets the
    bell's counts after the commit)."""
    from notifications.services import send_notification_emails

    return [callback for callback in callbacks if getattr(callback, "func", None) is send_notification_emails]


def forget_bell_counts() -> None:
    """Forget every user's cached unread count, so that the next page counts its bell
    again: a page's queries compared at two data sizes are each those of a first visit."""
    from django.core.cache import cache

    from accounts.models import User
    from notifications.selectors import unread_key

    cache.delete_many([unread_key(pk) for pk in User.objects.values_list("pk", flat=True)])
