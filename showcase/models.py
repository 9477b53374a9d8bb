"""Experience articles (经验做法): what a named site did, told by the site and published
by the provincial office (宣传推广经验做法).

An article belongs to a Designation; the unit that holds the title drafts it in
Markdown with photos (each with its alt text) and submits it; the provincial office
publishes it, unpublishes it with a reason, or returns it to the unit with a comment,
and may feature one published article on the showcase's home page. `status` and
`featured` change only through showcase.services; the database keeps at most one
article featured, and only a published one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import PROVINCE_ROLES, Role
from designations.models import DesignationStatus

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 500
BODY_MAX_LENGTH = 30000
ALT_TEXT_MAX_LENGTH = 200
CAPTION_MAX_LENGTH = 200


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("article status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("article status", "Submitted")
    PUBLISHED = "published", pgettext_lazy("article status", "Published")
    UNPUBLISHED = "unpublished", pgettext_lazy("article status", "Unpublished")


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The articles `user` may read inside the platform, in any state: every one for
        the provincial office, its own sites' for a unit operator, none for anyone else
        (the public reads through `published()`). Pages, fragments and photo downloads
        all start here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES:
            return self
        if user.role == Role.UNIT and user.organisation_id:
            return self.filter(designation__unit_id=user.organisation_id)
        return self.none()

    def published(self):
        """What anyone may read: published articles of sites that still hold the title
        (a revoked site's articles leave the showcase with it)."""
        return self.filter(status=ArticleStatus.PUBLISHED, designation__status=DesignationStatus.ACTIVE)

    def newest_published_first(self):
        return self.order_by("-published_at", "-pk")


class ExperienceArticle(models.Model):
    """One experience article of a named site. `body` is Markdown source, shown only
    through notices.rendering.render_markdown (which sanitises it)."""

    designation = models.ForeignKey(
        "designations.Designation",
        verbose_name=_("named site"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("Two or three sentences shown in lists and on the home page."),
    )
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, editable=False
    )
    featured = models.BooleanField(_("featured on the home page"), default=False, editable=False)
    review_note = models.TextField(
        _("note from the provincial office"),
        blank=True,
        editable=False,
        help_text=_("Why the article was last returned or unpublished."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("experience article")
        verbose_name_plural = _("experience articles")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["featured"],
                condition=Q(featured=True),
                name="experience_article_one_featured",
                violation_error_message=_("Another article is already featured."),
            ),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(status="published"),
                name="experience_article_featured_is_published",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["status", "-updated_at"], name="article_review_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == ArticleStatus.DRAFT


def photo_upload_to(instance, filename):
    # Services store files under random names first (materials.uploads.store); this only names a folder.
    return f"showcase/{filename}"


class ArticlePhoto(models.Model):
    """A photo of an article: a JPEG or PNG checked and stored like a unit's materials,
    with the text a screen reader says instead of it (required) and an optional caption."""

    article = models.ForeignKey(
        ExperienceArticle, verbose_name=_("experience article"), on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=photo_upload_to, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    alt_text = models.CharField(
        _("description for screen readers"),
        max_length=ALT_TEXT_MAX_LENGTH,
        help_text=_("What the photo shows, for readers who cannot see it, e.g. 心理咨询室内，咨询师与职工面谈."),
    )
    caption = models.CharField(_("caption"), max_length=CAPTION_MAX_LENGTH, blank=True)
    order = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("article photo")
        verbose_name_plural = _("article photos")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="article_photo_has_alt_text"),
        ]

    def __str__(self):
        return self.alt_text
