"""Every write of the notices app: notices, their attachments, their workflow, read
marks and the contact page. Views and the demo seed call these; nothing else writes.

`actor` is the signed-in user who acts; None means the platform itself (the demo seed,
a management command) and skips the permission check, as in organisations.services.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import apply_changes, record_event
from core.concurrency import check_unchanged, check_values, fingerprint
from notices import filetypes, permissions
from notices.models import Attachment, ContactInfo, ContactPerson, Notice, NoticeRead, State

logger = logging.getLogger(__name__)

NOTICE_FIELDS = ("title", "doc_number", "issuer", "issued_on", "body", "visibility")
CONTACT_FIELDS = ("phone", "fax", "email", "address", "postcode", "note")
CONTACT_PERSON_FIELDS = ("name", "position", "phone")
ATTACHMENT_FOLDER = "notices/attachments"


def _require_manager(actor) -> None:
    if actor is not None and not permissions.can_manage_notices(actor):
        raise PermissionDenied


# --- attachments -------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    file_type: filetypes.FileType
    original_name: str


@dataclass(frozen=True)
class StoredUpload:
    checked: CheckedUpload
    name: str


def _display_name(name: str, file_type: filetypes.FileType) -> str:
    # The uploader's own name is kept for display and download; control characters
    # would break the Content-Disposition header, so they go.
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip()
    return (cleaned or f"attachment.{file_type.extension}")[-255:]


def check_uploads(files: Iterable) -> list[CheckedUpload]:
    """Check every uploaded file before anything is written: an accepted extension,
    content that really is of that type (filetypes.matches_content) and a size within
    settings.NOTICE_ATTACHMENT_MAX_BYTES. Raises one ValidationError on the field
    "attachments" listing every refused file; writes nothing."""
    limit = settings.NOTICE_ATTACHMENT_MAX_BYTES
    checked, errors = [], []
    for upload in files:
        name = upload.name or ""
        file_type = filetypes.file_type_for(name)
        if file_type is None:
            errors.append(
                ValidationError(
                    _("%(name)s cannot be attached: only PDF, Word, Excel, PowerPoint, JPEG, PNG and ZIP files can."),
                    code="attachment_type",
                    params={"name": name},
                )
            )
        elif upload.size > limit:
            errors.append(
                ValidationError(
                    _("%(name)s is %(size)s; an attachment may be at most %(limit)s."),
                    code="attachment_size",
                    params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                )
            )
        elif not filetypes.matches_content(upload, file_type):
            errors.append(
                ValidationError(
                    _(
                        "The content of %(name)s is not a .%(extension)s file, whatever its name says. "
                        "Save it again in that format, or give it the right extension."
                    ),
                    code="attachment_content",
                    params={"name": name, "extension": file_type.extension},
                )
            )
        else:
            checked.append(CheckedUpload(upload, file_type, _display_name(name, file_type)))
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _store(checked: Sequence[CheckedUpload]) -> list[StoredUpload]:
    """Save the files under random names through the default storage (local disk or
    S3). If one fails, those already saved are deleted again."""
    stored = []
    try:
        for item in checked:
            # The name is a UUID and our own extension: nothing of the uploader's name
            # reaches the storage, and nobody can guess where a file lies.
            name = default_storage.save(
                f"{ATTACHMENT_FOLDER}/{uuid.uuid4().hex}.{item.file_type.extension}", item.upload
            )
            stored.append(StoredUpload(item, name))
    except BaseException:
        _discard([s.name for s in stored])
        raise
    return stored


def _discard(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            # The row that would have pointed at it was never written: an orphan file
            # is unreachable, so a failing delete is logged, not raised over the real error.
            logger.exception("could not delete the stored file %s", name)


def _create_attachment_rows(*, notice: Notice, stored: Sequence[StoredUpload], actor) -> list[Attachment]:
    rows = [
        Attachment(
            notice=notice,
            file=item.name,
            original_name=item.checked.original_name,
            content_type=item.checked.file_type.content_type,
            size=item.checked.upload.size,
            uploaded_by=actor if actor is not None else notice.author,
        )
        for item in stored
    ]
    for row in rows:
        row.save()
    return rows


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    """Delete an attachment, from any state of its notice; audited. The stored file is
    deleted once the deletion has committed, so a rollback never loses it."""
    _require_manager(actor)
    notice = Notice.objects.select_for_update().get(pk=attachment.notice_id)
    attachment = Attachment.objects.get(pk=attachment.pk, notice=notice)
    name = attachment.file.name
    attachment.delete()
    record_event(
        actor=actor,
        action="notice.attachment_remove",
        obj=notice,
        details={"attachment": attachment.original_name, "state": notice.state},
    )
    transaction.on_commit(lambda: _discard([name]))


# --- notices ---------------------------------------------------------------------


def create_notice(*, actor, files: Sequence = (), **fields) -> Notice:
    """Create a draft notice written by `actor`, with its attachments.

    Only the provincial office may (PermissionDenied otherwise). Raises ValidationError
    on a bad field or a refused file, in which case nothing is stored at all. The files
    are stored before the transaction that writes the rows; if that fails they are
    deleted again, so a failure never leaves half a notice."""
    _require_manager(actor)
    notice = Notice(author=actor, **{name: fields[name] for name in NOTICE_FIELDS if name in fields})
    errors = {}
    try:
        notice.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        checked = check_uploads(files)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    stored = _store(checked)
    try:
        with transaction.atomic():
            notice.save()
            rows = _create_attachment_rows(notice=notice, stored=stored, actor=actor)
            record_event(
                actor=actor,
                action="notice.create",
                obj=notice,
                to_state=notice.state,
                details={"attachments": [row.original_name for row in rows]},
            )
    except BaseException:
        _discard([s.name for s in stored])
        raise
    return notice


def update_notice(*, actor, notice: Notice, files: Sequence = (), edit_token: str | None = None, **fields) -> Notice:
    """Change a notice's fields and add attachments, in any state. Editing a published
    notice is allowed: the audit row keeps every changed field before and after, and
    the state it was in. Raises like create_notice and, like it, leaves nothing behind
    on failure; EditConflict when the fields changed since the form showed `edit_token`."""
    _require_manager(actor)
    checked = check_uploads(files)
    stored = _store(checked)
    try:
        with transaction.atomic():
            notice = Notice.objects.select_for_update().get(pk=notice.pk)
            check_unchanged(notice, token=edit_token, values=fields)
            changed = apply_changes(notice, names=NOTICE_FIELDS, values=fields)
            notice.full_clean()
            if changed:
                notice.save(update_fields=[*changed, "updated_at"])
            rows = _create_attachment_rows(notice=notice, stored=stored, actor=actor)
            if changed or rows:
                record_event(
                    actor=actor,
                    action="notice.update",
                    obj=notice,
                    details={
                        "state": notice.state,
                        "changed": changed,
                        "attachments_added": [row.original_name for row in rows],
                    },
                )
    except BaseException:
        _discard([s.name for s in stored])
        raise
    return notice


def add_attachments(*, actor, notice: Notice, files: Sequence) -> list[Attachment]:
    """Attach more files to an existing notice (update_notice without field changes)."""
    before = set(notice.attachments.values_list("pk", flat=True)) if notice.pk else set()
    notice = update_notice(actor=actor, notice=notice, files=files)
    return list(notice.attachments.exclude(pk__in=before))


# --- workflow --------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    reason_required: bool = False


# The whole workflow of a notice: draft → published → withdrawn, and a withdrawn
# notice may be published again. No other code assigns Notice.state.
TRANSITIONS = {
    "publish": Transition(sources=frozenset({State.DRAFT, State.WITHDRAWN}), target=State.PUBLISHED),
    "withdraw": Transition(sources=frozenset({State.PUBLISHED}), target=State.WITHDRAWN, reason_required=True),
}
TIMESTAMP_OF = {State.PUBLISHED: "published_at", State.WITHDRAWN: "withdrawn_at"}


@transaction.atomic
def transition_notice(*, actor, notice: Notice, name: str, reason: str = "") -> Notice:
    """Move `notice` along TRANSITIONS[name]: lock the row, re-check its state, write,
    audit. Only the provincial office may (PermissionDenied). A transition not allowed
    from the current state, or a missing required reason, raises ValidationError and
    changes nothing. Two concurrent transitions cannot both win: the second one waits
    for the lock and then finds the state already changed."""
    _require_manager(actor)
    rule = TRANSITIONS[name]
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.state not in rule.sources:
        raise ValidationError(
            _("This cannot be done while the notice is “%(state)s”."),
            code="invalid_transition",
            params={"state": notice.get_state_display()},
        )
    reason = reason.strip()
    if rule.reason_required and not reason:
        raise ValidationError({"reason": ValidationError(_("Please give the reason."), code="reason_required")})
    from_state = notice.state
    notice.state = rule.target
    stamp = TIMESTAMP_OF[rule.target]
    setattr(notice, stamp, timezone.now())
    notice.save(update_fields=["state", stamp, "updated_at"])
    record_event(
        actor=actor, action=f"notice.{name}", obj=notice, from_state=from_state, to_state=notice.state, reason=reason
    )
    return notice


def publish_notice(*, actor, notice: Notice) -> Notice:
    """Publish a draft or withdrawn notice: from now on its audience sees it."""
    return transition_notice(actor=actor, notice=notice, name="publish")


def withdraw_notice(*, actor, notice: Notice, reason: str) -> Notice:
    """Take a published notice down; the reason is required and kept in the audit log."""
    return transition_notice(actor=actor, notice=notice, name="withdraw", reason=reason)


# --- read marks ------------------------------------------------------------------

# Opening a notice is not a change of anything anyone decided: read marks are not
# audited (they would drown the audit log in one row per reader and notice).


def mark_notice_read(*, user, notice: Notice) -> None:
    """Remember that `user` has opened `notice`. Does nothing for a visitor without
    login or a notice that is not published. Safe to call twice, even concurrently."""
    if not user.is_authenticated or notice.state != State.PUBLISHED:
        return
    NoticeRead.objects.bulk_create([NoticeRead(user=user, notice=notice)], ignore_conflicts=True)


def mark_all_read(*, user) -> int:
    """Mark every published notice `user` may see as read; returns how many were unread."""
    if not user.is_authenticated:
        return 0
    opened = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    unread = list(Notice.objects.visible_to(user).published().exclude(Exists(opened)).values_list("pk", flat=True))
    NoticeRead.objects.bulk_create(
        [NoticeRead(user=user, notice_id=pk) for pk in unread], ignore_conflicts=True, batch_size=500
    )
    return len(unread)


# --- contact page ----------------------------------------------------------------


def _people_text(people) -> str:
    """The contact people as one text, a line each (for the page's edit token)."""
    return "\n".join(
        " / ".join((person.get(name) or "").strip() for name in CONTACT_PERSON_FIELDS) for person in people
    )


def _contact_values(contact: ContactInfo | None) -> dict:
    if contact is None:
        return {**dict.fromkeys(CONTACT_FIELDS, ""), "people": ""}
    people = [{name: getattr(p, name) for name in CONTACT_PERSON_FIELDS} for p in contact.people.all()]
    return {**{name: getattr(contact, name) for name in CONTACT_FIELDS}, "people": _people_text(people)}


def contact_token() -> str:
    """The edit token of the contact page as saved now (its edit form carries it)."""
    return fingerprint(_contact_values(ContactInfo.objects.filter(pk=ContactInfo.SINGLETON_PK).first()))


@transaction.atomic
def update_contact(*, actor, people: Sequence[dict] = (), edit_token: str | None = None, **fields) -> ContactInfo:
    """Replace the contact page: its fields (CONTACT_FIELDS) and its list of contact
    people (dicts of CONTACT_PERSON_FIELDS, in display order; rows without a name are
    dropped). Only the provincial office may; audited with what changed. Raises
    ValidationError on a bad field, EditConflict when the page changed since its form
    showed `edit_token`."""
    _require_manager(actor)
    contact, created = ContactInfo.objects.select_for_update().get_or_create(pk=ContactInfo.SINGLETON_PK)
    kept = [person for person in people if (person.get("name") or "").strip()]
    check_values(
        token=edit_token,
        current=_contact_values(contact),
        new={
            **{name: fields.get(name, getattr(contact, name)) for name in CONTACT_FIELDS},
            "people": _people_text(kept),
        },
        history=contact,
        label=lambda key: (
            _("Contact people") if key == "people" else str(ContactInfo._meta.get_field(key).verbose_name)
        ),
    )
    changed = {}
    for name in CONTACT_FIELDS:
        if name in fields and getattr(contact, name) != fields[name]:
            changed[name] = [getattr(contact, name), fields[name]]
            setattr(contact, name, fields[name])
    contact.full_clean()
    contact.save()
    before = [{name: getattr(p, name) for name in CONTACT_PERSON_FIELDS} for p in contact.people.all()]
    after = [
        {name: (person.get(name) or "").strip() for name in CONTACT_PERSON_FIELDS}
        for person in people
        if (person.get("name") or "").strip()
    ]
    if after != before:
        new_rows = [ContactPerson(contact=contact, sort_order=index, **person) for index, person in enumerate(after)]
        for row in new_rows:
            row.full_clean()
        contact.people.all().delete()
        ContactPerson.objects.bulk_create(new_rows)
        changed["people"] = [before, after]
    if changed or created:
        record_event(actor=actor, action="contact.update", obj=contact, details={"changed": changed})
    return contact
