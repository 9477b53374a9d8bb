"""Notifications for tests, made the way the platform makes them: through notify()."""

from notifications.services import notify


def make_notification(
    *, recipient, title="您的创建方案已收到新的意见", url="", actor=None, kind="plan.commented", **fields
):
    (notification,) = notify(recipients=[recipient], title=title, url=url, actor=actor, kind=kind, **fields)
    return notification
