"""A unit's files for an application: its work summary (工作总结), supporting materials
and the evidence it attaches to an indicator of its self-assessment.

A Material is what the unit manages (one work summary, a supporting document, one piece
of evidence); each file it uploads for it is a MaterialVersion. Versions are immutable
and never deleted: an application snapshot records MaterialVersion ids and must always
be able to serve them, so replacing a file adds a version and removing a material only
hides it from the current lists. Every write goes through materials.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.records import WrittenOnce
from core.roles import Role
from organisations.scoping import in_unit_scope, unit_scope_q


class Kind(models.TextChoices):
    WORK_SUMMARY = "work_summary", _("Work summary")
    SUPPORTING = "supporting", _("Supporting material")
    EVIDENCE = "evidence", _("Evidence")


def _scope(queryset, user, *, prefix: str):
    """The rows of `queryset` whose unit (reached through `prefix`) `user` may see: the
    scope rule (organisations.scoping), and for an inspector the units it inspects."""
    if unit_scope_q(user) is not None:
        return in_unit_scope(queryset, user, unit=f"{prefix}unit")
    if user.is_authenticated and user.is_active and user.role == Role.INSPECTOR:
        # An inspector reads the files of the units whose applications it inspects.
        from applications.models import Application

        units = Application.objects.visible_to(user).values("unit_id")
        return queryset.filter(**{f"{prefix}unit_id__in": units})
    return queryset.none()


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The materials `user` may see, removed ones included: all for the province,
        those of its subtree's units for an association, its own unit's for a unit
        operator, those of the units whose applications it inspects for an inspector,
        nothing for anyone else. Every page and download starts here."""
        return _scope(self, user, prefix="")

    def current(self):
        """Materials that have not been removed: what the unit's lists show."""
        return self.filter(removed_at__isnull=True)


class Material(models.Model):
    """One file a unit keeps for a campaign, through all its versions.

    `current_version` is the newest version; it is null only inside the transaction
    that creates the material. `indicator` is set exactly for evidence. A unit has at
    most one work summary per campaign that has not been removed. `removed_at` marks a
    soft removal: the material leaves the current lists, its versions stay.
    """

    # Reachable as Material.Kind too, for callers that import only the model.
    Kind = Kind

    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="materials"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    indicator = models.ForeignKey(
        "campaigns.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=200)
    current_version = models.ForeignKey(
        "MaterialVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["created_at", "pk"]
        indexes = [
            # The lists of one unit's current materials of a kind in a campaign.
            models.Index(fields=["unit", "campaign", "kind", "removed_at"], name="material_unit_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="evidence") & Q(indicator__isnull=False))
                | (~Q(kind="evidence") & Q(indicator__isnull=True)),
                name="material_indicator_only_for_evidence",
            ),
            # Two tabs uploading a first work summary at once cannot both win.
            models.UniqueConstraint(
                fields=["unit", "campaign"],
                condition=Q(kind="work_summary", removed_at__isnull=True),
                name="material_one_work_summary_per_unit_campaign",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


class MaterialVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The versions of the materials `user` may see (Material.objects.visible_to),
        those of removed materials included: an application snapshot may cite them."""
        return _scope(self, user, prefix="material__")

    def update(self, **kwargs):
        raise TypeError("material versions are immutable")

    def delete(self):
        raise TypeError("material versions are never deleted")


def version_upload_to(instance, filename):
    # Never used for naming: services store files under random names before the row
    # exists. Kept so that the field has a folder if someone assigns a file directly.
    return f"materials/{filename}"


class MaterialVersion(WrittenOnce):
    """One uploaded file of a material, numbered 1, 2, … within it.

    Immutable: written once by materials.services and never changed or deleted
    (save() refuses an update, delete() refuses). `file` is a random storage name
    (materials/<uuid>/<uuid>.<ext>) so that nobody can guess it; `original_name` is
    the uploader's own file name, shown and used for the download. `thumbnail` (at
    most 320 pixels) exists for images that could be read. Files are served only by
    the views of materials.views, which check the data scope.
    """

    rewrite_error = TypeError
    rewrite_message = "material versions are immutable"

    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    thumbnail = models.FileField(_("thumbnail"), upload_to=version_upload_to, max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = MaterialVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")
        ordering = ["material_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="material_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="material_version_number_from_1"),
            models.CheckConstraint(condition=Q(size__gt=0), name="material_version_not_empty"),
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"

    def delete(self, *args, **kwargs):
        raise TypeError("material versions are never deleted")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
