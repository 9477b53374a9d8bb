from django.conf import settings
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def is_internal_path(url: str) -> bool:
    """An absolute path on this platform ("/applications/7/"), never another site:
    no scheme, no host, no protocol-relative "//host"."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)
    )


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The notifications `user` may see: its own, nobody else's, whatever its role
        (the provincial office included). None for a visitor without login or a disabled
        account. Every page, fragment and count of the app starts here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def newest_first(self):
        return self.order_by("-created_at", "-id")


class Notification(models.Model):
    """A message to one user in the platform's bell: something happened that concerns
    them (an application submitted, returned, named...).

    Written only by notifications.services.notify, inside the transaction of the change
    it reports, so that a rolled-back change leaves no notification. `title` and `body`
    are stored as rendered text in the language of the request that caused them; `url`
    is a path on this platform (checked by is_internal_path). `read_at` is empty while
    unread and set once by notifications.services.mark_read / mark_all_read.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        # The (recipient, read_at) index below starts with the recipient and serves every
        # lookup by recipient: a second index on the column alone would only cost writes.
        db_index=False,
    )
    kind = models.CharField(
        _("kind"), max_length=64, blank=True, help_text=_("A short code of the event, e.g. application.submitted.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,
        blank=True,
        # A deleted account must not take its recipients' notifications with it.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's unread count on every page: recipient = ? AND read_at IS NULL.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The list page: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_listing_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def target_url(self) -> str:
        """Where opening the notification leads: its path, or "" when it has none (or a
        stored one that is not a path of this platform: the open view never redirects off-site)."""
        return self.url if self.url and is_internal_path(self.url) else ""
