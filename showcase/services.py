"""Every write of the showcase: experience articles, their photos, their workflow and the
featured article. Views call these; nothing else writes.

The workflow of an article is the TRANSITIONS table and one function, transition_article,
that locks the row, re-checks the state and who acts, writes, audits and notifies. No
other code assigns ExperienceArticle.status. Photos are checked and stored with
materials.uploads before the row is written, and deleted again if it cannot be.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import apply_changes, record_event
from core.concurrency import check_unchanged, fingerprint_of
from core.roles import Role
from materials import uploads
from notifications.services import notify, translatable
from showcase import permissions
from showcase.models import (
    ALT_TEXT_MAX_LENGTH,
    CAPTION_MAX_LENGTH,
    ArticlePhoto,
    ArticleStatus,
    ExperienceArticle,
)

ARTICLE_FIELDS = ("title", "summary", "body")
MAX_PHOTOS = 20
PHOTO_MAX_BYTES = 20 * 1024 * 1024
REASON_MAX_LENGTH = 2000


def _unit_operators(designation):
    from accounts.models import User

    return list(User.objects.filter(organisation_id=designation.unit_id, role=Role.UNIT, is_active=True))


def _province_staff():
    from accounts.models import User

    return list(User.objects.filter(role=Role.PROVINCE_STAFF, is_active=True))


def _manage_url(article) -> str:
    return reverse("showcase:article-detail", kwargs={"pk": article.pk})


def _lock(article: ExperienceArticle) -> ExperienceArticle:
    """The article's row, locked until the end of the transaction, with its site."""
    return ExperienceArticle.objects.select_for_update(of=("self",)).select_related("designation").get(pk=article.pk)


def _cleaned(values: dict) -> dict:
    return {name: (values.get(name) or "").strip() for name in ARTICLE_FIELDS if name in values}


# --- articles ----------------------------------------------------------------------


@transaction.atomic
def create_article(*, actor, designation, title: str, summary: str, body: str) -> ExperienceArticle:
    """A draft article of `designation`, written by the operator of its unit while the
    site holds its title (PermissionDenied otherwise). ValidationError on a missing or
    too long field; audited."""
    if not permissions.can_write_article(actor, designation):
        raise PermissionDenied
    article = ExperienceArticle(
        designation=designation, author=actor, **_cleaned({"title": title, "summary": summary, "body": body})
    )
    article.full_clean()
    article.save()
    record_event(actor=actor, action="article.create", obj=article, to_state=article.status)
    return article


@transaction.atomic
def update_article(*, actor, article: ExperienceArticle, edit_token: str | None = None, **fields) -> ExperienceArticle:
    """Change the title, summary or text. The unit may while the article is a draft; the
    provincial office may in any state (a published article changes on the showcase at
    once, and the unit is told). PermissionDenied otherwise; ValidationError on a bad
    field; audited with what changed (the text's before and after are not copied into
    the audit log, only that it changed). EditConflict when the text changed since the
    form showed `edit_token` (the unit and the office editing at once)."""
    article = _lock(article)
    if not permissions.can_edit_article(actor, article):
        raise PermissionDenied
    check_unchanged(article, token=edit_token, values=fields, names=ARTICLE_FIELDS)
    changed = apply_changes(article, names=ARTICLE_FIELDS, values=_cleaned(fields))
    if not changed:
        return article
    article.full_clean()
    article.save(update_fields=[*changed, "updated_at"])
    details = {"changed": {name: value for name, value in changed.items() if name != "body"}}
    if "body" in changed:
        details["body_changed"] = True
    record_event(actor=actor, action="article.update", obj=article, details=details)
    if permissions.can_review(actor):
        notify(
            recipients=_unit_operators(article.designation),
            title=translatable(
                gettext_lazy("The provincial office edited your experience article “%(title)s”"), title=article.title
            ),
            url=_manage_url(article),
            actor=actor,
            kind="article.update",
        )
    return article


# --- workflow ----------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    by_unit: bool = False  # the unit's operator takes it; otherwise the provincial office
    reason_required: bool = False


# The whole workflow: draft → submitted → published ⇄ unpublished; the office may return a
# submitted or unpublished article to the unit as a draft, with a comment.
TRANSITIONS = {
    "submit": Transition(sources=frozenset({ArticleStatus.DRAFT}), target=ArticleStatus.SUBMITTED, by_unit=True),
    "publish": Transition(
        sources=frozenset({ArticleStatus.SUBMITTED, ArticleStatus.UNPUBLISHED}), target=ArticleStatus.PUBLISHED
    ),
    "unpublish": Transition(
        sources=frozenset({ArticleStatus.PUBLISHED}), target=ArticleStatus.UNPUBLISHED, reason_required=True
    ),
    "return": Transition(
        sources=frozenset({ArticleStatus.SUBMITTED, ArticleStatus.UNPUBLISHED}),
        target=ArticleStatus.DRAFT,
        reason_required=True,
    ),
}


def _notify_transition(*, article, name: str, actor, reason: str) -> None:
    if name == "submit":
        notify(
            recipients=_province_staff(),
            title=translatable(
                gettext_lazy("New experience article from %(unit)s"), unit=article.designation.unit.name
            ),
            body=article.title,
            url=_manage_url(article),
            actor=actor,
            kind="article.submit",
        )
        return
    titles = {
        "publish": gettext_lazy("Your experience article “%(title)s” is published on the showcase"),
        "unpublish": gettext_lazy("Your experience article “%(title)s” was taken off the showcase"),
        "return": gettext_lazy("Your experience article “%(title)s” was returned to you"),
    }
    notify(
        recipients=_unit_operators(article.designation),
        title=translatable(titles[name], title=article.title),
        body=reason,
        url=_manage_url(article),
        actor=actor,
        kind=f"article.{name}",
    )


@transaction.atomic
def transition_article(*, actor, article: ExperienceArticle, name: str, reason: str = "") -> ExperienceArticle:
    """Move `article` along TRANSITIONS[name]: lock the row, re-check the state and who
    acts (PermissionDenied), write, audit, notify (the province staff of a submission,
    the unit of every decision). A transition not allowed from the current state, a
    missing required reason, or a site that no longer holds its title raises
    ValidationError and changes nothing. Two concurrent transitions cannot both win."""
    rule = TRANSITIONS[name]
    article = _lock(article)
    allowed = permissions.is_operator_of(actor, article.designation) if rule.by_unit else permissions.can_review(actor)
    if not allowed:
        raise PermissionDenied
    if article.status not in rule.sources:
        raise ValidationError(
            _("This cannot be done while the article is “%(status)s”."),
            code="invalid_transition",
            params={"status": article.get_status_display()},
        )
    reason = (reason or "").strip()
    if rule.reason_required and not reason:
        raise ValidationError({"reason": ValidationError(_("Please give the reason."), code="reason_required")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": ValidationError(_("Keep it under %(max)s characters."), params={"max": REASON_MAX_LENGTH})}
        )
    if rule.target == ArticleStatus.PUBLISHED and not article.designation.is_active:
        raise ValidationError(
            _("The site no longer holds its title: its articles cannot be published."), code="site_revoked"
        )
    from_state = article.status
    article.status = rule.target
    update_fields = ["status", "updated_at"]
    now = timezone.now()
    if rule.target == ArticleStatus.SUBMITTED:
        article.submitted_at = now
        update_fields.append("submitted_at")
    if rule.target == ArticleStatus.PUBLISHED:
        article.published_at = now
        update_fields.append("published_at")
    if rule.reason_required:
        article.review_note = reason
        update_fields.append("review_note")
    unfeatured = article.featured and rule.target != ArticleStatus.PUBLISHED
    if unfeatured:
        article.featured = False
        update_fields.append("featured")
    article.save(update_fields=update_fields)
    record_event(
        actor=actor,
        action=f"article.{name}",
        obj=article,
        from_state=from_state,
        to_state=article.status,
        reason=reason,
        details={"unfeatured": True} if unfeatured else None,
    )
    _notify_transition(article=article, name=name, actor=actor, reason=reason)
    return article


def submit_article(*, actor, article: ExperienceArticle) -> ExperienceArticle:
    """The unit sends its draft to the provincial office for publication."""
    return transition_article(actor=actor, article=article, name="submit")


def publish_article(*, actor, article: ExperienceArticle) -> ExperienceArticle:
    """The office approves a submitted (or unpublished) article: anyone may read it now."""
    return transition_article(actor=actor, article=article, name="publish")


def unpublish_article(*, actor, article: ExperienceArticle, reason: str) -> ExperienceArticle:
    """The office takes a published article off the showcase; the reason is required."""
    return transition_article(actor=actor, article=article, name="unpublish", reason=reason)


def return_article(*, actor, article: ExperienceArticle, comment: str) -> ExperienceArticle:
    """The office sends a submitted or unpublished article back to the unit as a draft,
    with a comment saying what to change."""
    return transition_article(actor=actor, article=article, name="return", reason=comment)


# --- the featured article ----------------------------------------------------------------


@transaction.atomic
def feature_article(*, actor, article: ExperienceArticle) -> ExperienceArticle:
    """Show `article` (published, of a site holding its title) on the showcase's home
    page; the article featured before is featured no longer. Provincial office only.
    Audited (with the one it replaced) and the unit told. If someone features another
    article at the same moment, the database keeps one and this raises ValidationError."""
    if not permissions.can_review(actor):
        raise PermissionDenied
    article = _lock(article)
    if not (article.is_published and article.designation.is_active):
        raise ValidationError(_("Only a published article can be featured."), code="not_published")
    if article.featured:
        return article
    previous = list(ExperienceArticle.objects.select_for_update().filter(featured=True).exclude(pk=article.pk))
    try:
        with transaction.atomic():
            for other in previous:
                other.featured = False
                other.save(update_fields=["featured"])
            article.featured = True
            article.save(update_fields=["featured"])
    except IntegrityError as error:
        raise ValidationError(
            _("Another article was featured at the same moment: reload the page and try again."), code="race"
        ) from error
    record_event(
        actor=actor, action="article.feature", obj=article, details={"replaced": [other.pk for other in previous]}
    )
    notify(
        recipients=_unit_operators(article.designation),
        title=translatable(
            gettext_lazy("Your experience article “%(title)s” is featured on the showcase's home page"),
            title=article.title,
        ),
        url=_manage_url(article),
        actor=actor,
        kind="article.feature",
    )
    return article


@transaction.atomic
def unfeature_article(*, actor, article: ExperienceArticle) -> ExperienceArticle:
    """Stop featuring `article`; the home page then features none. Provincial office only; audited."""
    if not permissions.can_review(actor):
        raise PermissionDenied
    article = _lock(article)
    if article.featured:
        article.featured = False
        article.save(update_fields=["featured"])
        record_event(actor=actor, action="article.unfeature", obj=article)
    return article


# --- photos ------------------------------------------------------------------------------


def _photo_texts(*, alt_text: str, caption: str) -> dict:
    """The photo's texts stripped, or ValidationError next to the field: a photo without a
    description is refused (screen readers would say nothing, GB/T 37668)."""
    alt_text, caption = (alt_text or "").strip(), (caption or "").strip()
    errors = {}
    if not alt_text:
        errors["alt_text"] = ValidationError(
            _("Say what the photo shows, for readers who cannot see it."), code="alt_text_required"
        )
    elif len(alt_text) > ALT_TEXT_MAX_LENGTH:
        errors["alt_text"] = ValidationError(
            _("Keep the description under %(max)s characters."), params={"max": ALT_TEXT_MAX_LENGTH}
        )
    if len(caption) > CAPTION_MAX_LENGTH:
        errors["caption"] = ValidationError(
            _("Keep the caption under %(max)s characters."), params={"max": CAPTION_MAX_LENGTH}
        )
    if errors:
        raise ValidationError(errors)
    return {"alt_text": alt_text, "caption": caption}


def _check_photo(upload) -> uploads.CheckedFile:
    if upload is None:
        raise ValidationError({"file": _("Choose a photo.")}, code="required")
    if upload.size and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("“%(name)s” is %(size)s; a photo may be at most %(limit)s.")
                % {
                    "name": uploads.display_name(upload.name or ""),
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(PHOTO_MAX_BYTES),
                }
            },
            code="too_large",
        )
    checked = uploads.check_file(upload)
    if not checked.is_image:
        raise ValidationError({"file": _("Only photos (JPEG or PNG) can be added here.")}, code="not_photo")
    return checked


def add_photo(*, actor, article: ExperienceArticle, upload, alt_text: str, caption: str = "") -> ArticlePhoto:
    """Add a JPEG or PNG photo to `article`, last in order, for whoever may edit the article
    (PermissionDenied otherwise). Refused with ValidationError, before anything is stored,
    without a description (alt text), when it is not a readable photo or too large, or
    when the article has MAX_PHOTOS already. The file is stored under a random name before
    the row is written, and deleted again if the row cannot be. Audited."""
    if not permissions.can_edit_article(actor, article):
        raise PermissionDenied
    texts = _photo_texts(alt_text=alt_text, caption=caption)
    checked = _check_photo(upload)
    stored = uploads.store(checked, under="showcase/photos")
    try:
        with transaction.atomic():
            article = _lock(article)
            if not permissions.can_edit_article(actor, article):
                raise PermissionDenied
            photos = article.photos.aggregate(count=Count("pk"), last=Max("order"))
            if photos["count"] >= MAX_PHOTOS:
                raise ValidationError(
                    {"file": _("An article has at most %(max)s photos.") % {"max": MAX_PHOTOS}}, code="too_many"
                )
            photo = ArticlePhoto(
                article=article,
                file=stored.name,
                thumbnail=stored.thumbnail,
                original_name=checked.original_name,
                content_type=checked.file_type.content_type,
                size=stored.size,
                sha256=stored.sha256,
                order=(photos["last"] or 0) + 1,
                uploaded_by=actor,
                **texts,
            )
            photo.save()
            record_event(
                actor=actor,
                action="article.photo_add",
                obj=article,
                details={"photo": photo.pk, "name": photo.original_name, "sha256": photo.sha256},
            )
    except BaseException:
        uploads.discard(stored.names)
        raise
    return photo


PHOTO_FIELDS = ("alt_text", "caption", "order")


def photo_token(photo: ArticlePhoto) -> str:
    """The edit token of a photo's description, caption and position as saved now."""
    return fingerprint_of(photo, PHOTO_FIELDS)


@transaction.atomic
def update_photo(
    *,
    actor,
    photo: ArticlePhoto,
    alt_text: str,
    caption: str = "",
    order: int | None = None,
    edit_token: str | None = None,
):
    """Change a photo's description, caption or position, for whoever may edit its
    article. ValidationError without a description; EditConflict when they changed since
    the form showed `edit_token`; audited with what changed."""
    article = _lock(photo.article)
    if not permissions.can_edit_article(actor, article):
        raise PermissionDenied
    photo = ArticlePhoto.objects.get(pk=photo.pk, article=article)
    values = _photo_texts(alt_text=alt_text, caption=caption)
    if order is not None:
        values["order"] = order
    check_unchanged(photo, token=edit_token, values=values, names=PHOTO_FIELDS, history=article)
    changed = apply_changes(photo, names=("alt_text", "caption", "order"), values=values)
    if changed:
        photo.save(update_fields=list(changed))
        record_event(
            actor=actor, action="article.photo_update", obj=article, details={"photo": photo.pk, "changed": changed}
        )
    return photo


@transaction.atomic
def remove_photo(*, actor, photo: ArticlePhoto) -> None:
    """Remove a photo, for whoever may edit its article; audited. The stored files are
    deleted once the removal has committed, so a rollback never loses them."""
    article = _lock(photo.article)
    if not permissions.can_edit_article(actor, article):
        raise PermissionDenied
    photo = ArticlePhoto.objects.get(pk=photo.pk, article=article)
    names = [name for name in (photo.file.name, photo.thumbnail.name) if name]
    photo_pk = photo.pk
    photo.delete()
    record_event(
        actor=actor,
        action="article.photo_remove",
        obj=article,
        details={"photo": photo_pk, "name": photo.original_name},
    )
    transaction.on_commit(lambda: uploads.discard(names))
