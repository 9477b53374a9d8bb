"""Every write of the notifications app: notifying people (in the platform and by
e-mail) and read marks.

Other apps call `notify(...)` from inside the transaction of the change they report
(typically right after `audit.services.record_event`), e.g. in a workflow transition:

    notify(
        recipients=[application.unit_operator],
        title=translatable(gettext_lazy("Your application %(number)s was returned"), number=number),
        body=reason,
        url=reverse("applications:detail", kwargs={"pk": application.pk}),
        actor=actor,
        kind="application.returned",
    )

Read marks are not audited: they are a user's own bookkeeping, change nothing anybody
else sees and would bury the audit log; the business event a notification reports is
audited by the service that calls `notify`.
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.models import Notification, is_internal_path
from notifications.selectors import unread_key

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


@transaction.atomic
def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", actor=None, kind: str = "", email: bool = True
) -> list[Notification]:
    """Notify each of `recipients` (users; duplicates and None are dropped) in the
    platform, and by e-mail when `email` is true.

    Writes one Notification per recipient in one INSERT, inside the caller's transaction:
    if the change being reported rolls back, so do its notifications. The e-mails (one
    per recipient that is active and has an address) are sent only after the commit,
    through `send_notification_emails`, which never raises: a mail server that fails
    cannot break the request or undo the change.

    `title` and `body` are rendered now, for each recipient in its own language
    (`User.language`): give them as lazy translations or `translatable(...)`, never as
    text already translated in the sender's language; a title longer than the column is cut with an ellipsis rather than
    failing the caller's transition. `url` must be a path on this platform ("/..."):
    ValueError otherwise, a programming error. `kind` is a short code of the event
    ("application.submitted", at most 64 characters: ValidationError otherwise).
    `actor` is the user who caused it, None for the platform itself. Callers choose the
    recipients: the actor is not left out automatically. Returns the notifications
    created, in recipient order.
    """
    if url and not is_internal_path(url):
        raise ValueError(f"a notification links to a path of this platform, not {url!r}")
    unique = {}
    for recipient in recipients:
        if recipient is not None:
            unique.setdefault(recipient.pk, recipient)
    if not unique:
        return []
    rows = []
    for recipient in unique.values():
        # Each in its own language: a title given as translatable() renders again for it.
        with translation.override(getattr(recipient, "language", None) or settings.LANGUAGE_CODE):
            rows.append(
                Notification(
                    recipient=recipient,
                    actor=actor if actor is not None and actor.is_authenticated else None,
                    kind=kind,
                    title=Truncator(" ".join(str(title).split())).chars(TITLE_MAX_LENGTH),
                    body=str(body),
                    url=url,
                )
            )
    for row in rows:
        # The users are already loaded: checking that they exist would cost a query each.
        row.full_clean(exclude=["recipient", "actor"], validate_unique=False, validate_constraints=False)
    created = Notification.objects.bulk_create(rows)
    forget_unread_counts(unique)
    if email:
        ids = [row.pk for row in created if row.recipient.email and row.recipient.is_active]
        if ids:
            # robust: even if sending raised despite its own guard, the response and the
            # other on-commit callbacks would go on.
            transaction.on_commit(partial(send_notification_emails, ids), robust=True)
    return created


def _render(template, params: dict) -> str:
    return str(template) % {name: str(value) for name, value in params.items()}


_render_lazy = lazy(_render, str)


def translatable(template, /, **params):
    """`template % params`, rendered only when read, in the language active then: what
    `notify` needs to write each recipient's notification in its own language. `template`
    is a gettext_lazy message; a value in `params` may be lazy too (a state's label)."""
    return _render_lazy(template, params)


def _absolute_url(path: str) -> str:
    """`path` on the platform's public address (settings.PLATFORM_URL, when the
    deployment sets one); "" otherwise: a bare path means nothing in a mailbox."""
    base = getattr(settings, "PLATFORM_URL", "")
    return f"{base.rstrip('/')}{path}" if base and path else ""


def _email_for(notification: Notification) -> EmailMessage:
    parts = [notification.title]
    if notification.body:
        parts.append(notification.body)
    link = _absolute_url(notification.target_url)
    if link:
        parts.append(_("Open it on the platform: %(url)s") % {"url": link})
    else:
        parts.append(_("Sign in to the platform to read it under Notifications."))
    parts.append(f"-- \n{settings.PLATFORM_TITLE}")
    return EmailMessage(
        subject=notification.title,
        body="\n\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )


def send_notification_emails(ids: Iterable[int]) -> int:
    """Send one e-mail for each notification of `ids` whose recipient is active and has
    an e-mail address, through settings.EMAIL_BACKEND (the console locally, SMTP in
    production, or files: EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
    with EMAIL_FILE_PATH, var/mail by default). Each e-mail is in its recipient's language.

    Never raises: a failure is logged and the messages are lost (nothing else depends
    on them; the notification stays in the bell). Returns how many messages the backend
    accepted. `notify` calls it after commit; a background queue can call it later with
    the same ids.
    """
    ids = list(ids)
    try:
        rows = (
            Notification.objects.filter(pk__in=ids, recipient__is_active=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("id")
        )
        messages = []
        for row in rows:
            with translation.override(row.recipient.language or settings.LANGUAGE_CODE):
                messages.append(_email_for(row))
        if not messages:
            return 0
        connection = get_connection(fail_silently=True)
        return connection.send_messages(messages) or 0
    except Exception:
        # Whatever the backend does (a refused connection, a bad address, a bug in a
        # third-party backend), the user's request must not fail because of mail.
        logger.exception("could not send the e-mails of notifications %s", ids)
        return 0


def mark_read(*, user, notification: Notification) -> bool:
    """Mark `notification` read if it is `user`'s and still unread; returns whether it
    was. One UPDATE: two tabs opening it at once keep the first time."""
    if not user.is_authenticated:
        return False
    now = timezone.now()
    updated = Notification.objects.visible_to(user).unread().filter(pk=notification.pk).update(read_at=now)
    if updated:
        notification.read_at = now
        forget_unread_counts([user.pk])
    return bool(updated)


def mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many there were."""
    if not user.is_authenticated:
        return 0
    updated = Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
    forget_unread_counts([user.pk])
    return updated


def forget_unread_counts(user_ids: Iterable[int]) -> None:
    """Forget the bell's cached count of each of `user_ids` (notifications.selectors.
    unread_count) now, and again once the current transaction commits: a page asking in
    between still counted the rows as they were before it."""
    keys = [unread_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(partial(cache.delete_many, keys))
