"""The expert pool (专家库), on-site inspections (现场考察) and their scoresheets (量化打分).

An Inspector is an entry of the pool, linked to the login account it scores with. An
Inspection is the visit of a team (TeamMember rows, one leader) to the unit of an
application awaiting inspection; a Draw records a random draw of the team so that it
can be replayed. Each member scores on a Scoresheet (one SheetScore per indicator,
SheetPhoto files taken on site). When every sheet is in, the leader finalises: the
Result freezes the team's aggregate with the standard version it used. Every write
goes through inspections.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import AggregationMethod
from core.crypto import EncryptedCharField
from core.pii import validate_id_number
from core.records import WrittenOnce
from core.roles import PROVINCE_ROLES, Role


class InspectorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The pool entries `user` may see: the whole pool for the province, its own entry
        for an inspector, nothing for anyone else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES:
            return self
        if user.role == Role.INSPECTOR:
            return self.filter(user=user)
        return self.none()

    def active(self):
        return self.filter(is_active=True)


class Inspector(models.Model):
    """One expert of the pool. `area` is the city or system the expert belongs to, which
    decides the avoidance rule (回避); empty for an expert at provincial level."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspector_profile",
    )
    name = models.CharField(_("name"), max_length=50)
    employer = models.CharField(_("work unit"), max_length=200, blank=True)
    title = models.CharField(_("position or title"), max_length=100, blank=True)
    area = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("city or system"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the expert works: units of the same city or system are never assigned to the expert."),
    )
    specialities = models.CharField(_("specialities"), max_length=200, blank=True)
    # Sealed at rest, shown masked; core.pii says who may see them whole (PIPL).
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    # Needed to pay the inspection fee (劳务费); optional until then.
    id_number = EncryptedCharField(
        _("ID card number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("18 characters, needed to pay the inspection fee. Stored encrypted and shown masked."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InspectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["is_active", "name"], name="inspector_active_name_idx")]

    def __str__(self):
        return self.name


class Conflict(models.Model):
    """A declared conflict of interest: the expert never inspects this organisation or
    any unit below it."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "organisation"], name="conflict_unique_per_inspector")
        ]

    def __str__(self):
        return f"{self.inspector} ↮ {self.organisation}"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection status", "Planned")
    FINALISED = "finalised", pgettext_lazy("inspection status", "Finalised")
    CANCELLED = "cancelled", pgettext_lazy("inspection status", "Cancelled")


# A planned or finalised inspection still binds its team: its members see the application.
BINDING_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.FINALISED)


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Inspections `user` may see: all for the province; for an inspector, those it is a
        member of that are not cancelled; none for anyone else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES:
            return self
        if user.role == Role.INSPECTOR:
            return self.filter(
                status__in=BINDING_STATUSES,
                pk__in=TeamMember.objects.filter(inspector__user=user).values("inspection_id"),
            )
        return self.none()

    def planned(self):
        return self.filter(status=InspectionStatus.PLANNED)

    def with_leader_name(self):
        """Annotate `leader_name`, the name of the team's leader (None without a team)."""
        leader = TeamMember.objects.filter(inspection=OuterRef("pk"), is_leader=True).values("inspector__name")[:1]
        return self.annotate(leader_name=Subquery(leader))


class Inspection(models.Model):
    """The on-site inspection of one application by a team."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    visit_date = models.DateField(_("date of the visit"))
    place = models.CharField(_("place"), max_length=200)
    notes = models.TextField(_("notes for the team"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED, db_index=True
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Set when the leader records that the visit took place on another day than planned.
    planned_date = models.DateField(_("date first planned"), null=True, blank=True)
    date_change_reason = models.TextField(_("why the visit took place on another day"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visit_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status="cancelled"),
                name="inspection_one_binding_per_application",
                violation_error_message=_("This application already has an inspection."),
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.visit_date}"

    @property
    def is_planned(self) -> bool:
        return self.status == InspectionStatus.PLANNED


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    inspector = models.ForeignKey(
        Inspector, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="assignments"
    )
    is_leader = models.BooleanField(_("team leader"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_leader", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "inspector"], name="member_unique_per_inspection"),
            models.UniqueConstraint(fields=["inspection"], condition=Q(is_leader=True), name="one_leader_per_team"),
        ]
        indexes = [models.Index(fields=["inspector", "inspection"], name="member_inspector_idx")]

    def __str__(self):
        return f"{self.inspector} @ {self.inspection_id}"


class Draw(WrittenOnce):
    """A random draw of a team: the seed and the ordered list of eligible candidates it
    drew from, so that inspections.selectors.replay_draw gives the same team again."""

    rewrite_message = "A draw cannot be changed."

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="draws")
    seed = models.CharField(_("seed"), max_length=64)
    candidates = models.JSONField(_("candidates"))
    size = models.PositiveSmallIntegerField(_("team size"))
    picked = models.JSONField(_("drawn"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    class Meta:
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"{self.inspection_id} · {self.seed}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("scoresheet status", "Being scored")
    SUBMITTED = "submitted", pgettext_lazy("scoresheet status", "Submitted")


class Scoresheet(models.Model):
    """One inspector's scores for one inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="sheets")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(
        _("status"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT, db_index=True
    )
    vetoes = models.ManyToManyField("campaigns.VetoItem", verbose_name=_("veto items found"), blank=True)
    veto_note = models.TextField(_("what the veto rests on"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("scoresheet")
        verbose_name_plural = _("scoresheets")
        constraints = [models.UniqueConstraint(fields=["inspection", "inspector"], name="sheet_unique_per_inspector")]

    def __str__(self):
        return f"{self.inspector} · {self.inspection_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class SheetScore(models.Model):
    sheet = models.ForeignKey(Scoresheet, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey("campaigns.Indicator", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="sheet_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) | Q(score__isnull=True), name="sheet_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.sheet_id} · {self.indicator_id}"


def photo_upload_to(instance, filename):
    # Services store files under random names first; this only names a folder.
    return f"inspections/{filename}"


class SheetPhoto(models.Model):
    """A photo an inspector took on site, for one indicator of its sheet."""

    sheet = models.ForeignKey(Scoresheet, on_delete=models.PROTECT, related_name="photos")
    indicator = models.ForeignKey("campaigns.Indicator", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=photo_upload_to, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("on-site photo")
        verbose_name_plural = _("on-site photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Result(WrittenOnce):
    """The team's result, frozen at finalisation with the version it was computed on.
    `data` holds every sheet's scores, the aggregate per indicator with its spread, the
    categories, the agreement (ICC) and the reasons of the recommendation."""

    rewrite_message = "A finalised result cannot be changed."

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="result")
    version = models.ForeignKey("campaigns.StandardVersion", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("aggregation"), max_length=16, choices=AggregationMethod.choices)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2)
    meets_standard = models.BooleanField(_("meets the naming standard"))
    vetoed = models.BooleanField(_("vetoed"), default=False)
    data = models.JSONField(_("content"))
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(_("finalised"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")

    def __str__(self):
        return f"{self.inspection_id}: {self.total}"
