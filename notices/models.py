from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField
from core.roles import PROVINCE_ROLES


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: also shown without signing in")
    INTERNAL = "internal", _("Internal: signed-in users only")


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The notices `user` may see: every notice in any state for the provincial
        office (it writes them), published notices for any other signed-in user, and
        published public notices for a visitor without login (or a disabled account).
        Every page, fragment, download and home-page list starts here."""
        if not user.is_authenticated or not user.is_active:
            return self.filter(state=State.PUBLISHED, visibility=Visibility.PUBLIC)
        if user.role in PROVINCE_ROLES:
            return self
        return self.filter(state=State.PUBLISHED)

    def published(self):
        return self.filter(state=State.PUBLISHED)

    def with_unread(self, user):
        """Annotate `unread`: a published notice that `user` has not opened yet.

        One correlated EXISTS per row inside the same query, so a list costs one query
        whatever its length. Always False for a visitor without login and for drafts."""
        if not user.is_authenticated:
            return self.annotate(unread=Value(False, output_field=models.BooleanField()))
        opened = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
        return self.annotate(
            unread=Case(
                When(Q(state=State.PUBLISHED) & ~Exists(opened), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def newest_first(self):
        return self.order_by("-issued_on", "-id")


class Notice(models.Model):
    """A notice of the provincial office (通知公告), written in Markdown.

    Only `body` (the Markdown source) is stored; pages render it through
    notices.rendering.render_markdown, the one place that turns it into safe HTML.
    `state` changes only through notices.services.transition_notice.
    """

    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("For example 冀研发【2014】1号.")
    )
    issuer = models.CharField(_("issuing body"), max_length=100)
    issued_on = models.DateField(_("date"))
    body = models.TextField(_("text"))
    visibility = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["state", "visibility", "-issued_on"], name="notice_listing_idx")]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED


def attachment_upload_to(instance, filename):
    # Never used for naming: services store files under a random name before the row
    # exists. Kept so that the field has a folder if someone assigns a file directly.
    return f"notices/attachments/{filename}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The attachments of the notices `user` may see (Notice.objects.visible_to)."""
        return self.filter(notice__in=Notice.objects.visible_to(user))


class Attachment(models.Model):
    """A file attached to a notice. `file` holds a random storage name (a UUID) so that
    nobody can guess it; `original_name` is what the uploader called it, shown and used
    for the download. Files are served only by notices.views.attachment_download."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notice", "id"]

    def __str__(self):
        return self.original_name


class NoticeRead(models.Model):
    """`user` has opened `notice`: the absence of this row is the unread mark."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notices read")
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="notice_read_once_per_user")]

    def __str__(self):
        return f"{self.user_id} → {self.notice_id}"


postcode_validator = RegexValidator(r"^\d{6}$", _("A postcode has six digits, e.g. 050052."), code="postcode")


class ContactInfo(models.Model):
    """The one row of the contact page (联系我们); people on it are optional."""

    phone = models.CharField(_("office phone"), max_length=100, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True, validators=[postcode_validator])
    note = models.TextField(_("note"), blank=True, help_text=_("For example office hours."))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    SINGLETON_PK = 1

    class Meta:
        verbose_name = _("contact information")
        verbose_name_plural = _("contact information")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="contact_info_single_row")]

    def __str__(self):
        return str(_("Contact information"))


class ContactPerson(models.Model):
    contact = models.ForeignKey(ContactInfo, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("role"), max_length=100, blank=True)
    # A person's number, perhaps a mobile: sealed at rest. The contact page shows it whole
    # because publishing it is its purpose (the form says so).
    phone = EncryptedCharField(
        _("phone"),
        max_length=50,
        blank=True,
        help_text=_("Shown to everyone on the public contact page: give an office line rather than a private mobile."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name
