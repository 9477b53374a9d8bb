from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications.models import Notification

        # A row saved or deleted one by one (the admin, a test, a clean-up) changes the
        # bell's count too; notify() and the read marks forget it themselves.
        post_save.connect(_forget_count, sender=Notification, dispatch_uid="notifications-count-save")
        post_delete.connect(_forget_count, sender=Notification, dispatch_uid="notifications-count-delete")


def _forget_count(sender, instance, **kwargs):
    from notifications.services import forget_unread_counts

    forget_unread_counts([instance.recipient_id])
