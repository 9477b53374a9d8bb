"""Campaigns (创建活动) and their versioned standards (建设标准 with its 量化评价细则).

A standard is a tree: StandardVersion → Category → Indicator, plus optional veto items.
Totals and thresholds that follow from the point values (a category's maximum, the
version's maximum, a category's minimum) are never stored: campaigns.scoring computes
them, so they cannot disagree with the indicators.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.validators import (
    validate_certificate_pattern,
    validate_half_step,
    validate_positive_score,
    validate_registration_pattern,
)
from core.roles import PROVINCE_ROLES

DEFAULT_THRESHOLD_TOTAL = Decimal("85")
DEFAULT_CATEGORY_MIN_RATIO = Decimal("0.60")
DEFAULT_CERTIFICATE_PATTERN = "冀人文心理示范〔{year}〕第{serial:03d}号"
DEFAULT_REGISTRATION_PATTERN = "{year}-{serial:05d}"
DEFAULT_NAMED_TITLE = "河北省人文关怀心理疏导示范点"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign status", "Draft")
    ACTIVE = "active", pgettext_lazy("campaign status", "Active")
    CLOSED = "closed", pgettext_lazy("campaign status", "Closed")


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean of the inspectors")
    TRIMMED = "trimmed", _("Trimmed mean (drop one highest and one lowest with 5 or more inspectors)")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("standard version status", "Draft")
    PUBLISHED = "published", pgettext_lazy("standard version status", "Published")
    RETIRED = "retired", pgettext_lazy("standard version status", "Retired")


# Versions whose content may no longer change: applications may have been scored on them.
FROZEN_VERSION_STATUSES = frozenset({VersionStatus.PUBLISHED, VersionStatus.RETIRED})


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The campaigns `user` may see: every campaign for the province; the active and
        closed ones for every other signed-in user; nothing for anonymous visitors (the
        public reads a standard through its own page)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES:
            return self
        return self.exclude(status=CampaignStatus.DRAFT)

    def active(self):
        return self.filter(status=CampaignStatus.ACTIVE)

    def public(self):
        """Campaigns whose standard anyone may read: all but drafts."""
        return self.exclude(status=CampaignStatus.DRAFT)


class StandardVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The versions `user` may read: all of them for the province; for every other
        signed-in user the published and retired versions of the campaigns it sees."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES:
            return self
        return self.exclude(status=VersionStatus.DRAFT).exclude(campaign__status=CampaignStatus.DRAFT)

    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=VersionStatus.DRAFT)


class Campaign(models.Model):
    """One round of a 示范点 programme, announced by a notice with a document number."""

    name = models.CharField(_("name"), max_length=200)
    doc_number = models.CharField(
        _("document number"), max_length=100, help_text=_("The 文号 of the notice, e.g. 冀研发【2014】1号.")
    )
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    review_limit_days = models.PositiveSmallIntegerField(
        _("review time limit (working days)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("Applications waiting longer than this many Chinese working days are flagged in the inbox."),
    )
    recommendations_enabled = models.BooleanField(
        _("associations may add a recommendation"),
        default=False,
        help_text=_(
            "When on, a city or industry association may add a recommendation opinion to its units' applications."
        ),
    )
    team_size = models.PositiveSmallIntegerField(
        _("inspection team size"),
        default=3,
        validators=[
            MinValueValidator(1, message=_("A team has at least one inspector.")),
            MaxValueValidator(15, message=_("A team has at most 15 inspectors.")),
        ],
        help_text=_("How many inspectors, the leader included, visit each unit."),
    )
    aggregation_method = models.CharField(
        _("how the team's scores are combined"),
        max_length=16,
        choices=AggregationMethod.choices,
        default=AggregationMethod.MEAN,
    )
    spread_limit = models.DecimalField(
        _("largest accepted difference between inspectors"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"), message=_("The difference cannot be negative."))],
        help_text=_("Indicators on which inspectors differ by more than this many points are flagged."),
    )
    certificate_pattern = models.CharField(
        _("certificate number pattern"),
        max_length=100,
        default=DEFAULT_CERTIFICATE_PATTERN,
        validators=[validate_certificate_pattern],
        help_text=_(
            "{year} is the year of naming and {serial:03d} the serial number, e.g. 冀人文心理示范〔{year}〕第{serial:03d}号."
        ),
    )
    registration_pattern = models.CharField(
        _("registration number pattern"),
        max_length=100,
        default=DEFAULT_REGISTRATION_PATTERN,
        validators=[validate_registration_pattern],
        help_text=_(
            "{year} is the year of registration and {serial:05d} its serial number, counted from 1 each year, "
            "e.g. {year}-{serial:05d}."
        ),
    )
    named_title = models.CharField(
        _("title conferred"),
        max_length=100,
        default=DEFAULT_NAMED_TITLE,
        help_text=_("The title printed on the certificate."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="campaign_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name


class StandardVersion(models.Model):
    """One version of a campaign's standard. Drafts are edited; publishing freezes a
    version and retires the one it replaces (campaigns.services)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    label = models.CharField(_("label"), max_length=50, blank=True, help_text=_("For example 试行 (trial)."))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    threshold_total = models.DecimalField(
        _("naming threshold (total score)"),
        max_digits=6,
        decimal_places=1,
        default=DEFAULT_THRESHOLD_TOTAL,
        validators=[MinValueValidator(Decimal("0"), message=_("The threshold cannot be negative."))],
        help_text=_("A unit is named only with at least this total score."),
    )
    category_min_ratio = models.DecimalField(
        _("minimum share of each category"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_CATEGORY_MIN_RATIO,
        validators=[
            MinValueValidator(Decimal("0"), message=_("The share must be between 0 and 1.")),
            MaxValueValidator(Decimal("1"), message=_("The share must be between 0 and 1.")),
        ],
        help_text=_("Between 0 and 1: 0.60 means no category may score under 60 percent of its maximum."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = StandardVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["campaign", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="version_number_unique_per_campaign"),
            # The two rules that concurrent requests could otherwise break.
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status="draft"),
                name="version_one_draft_per_campaign",
                violation_error_message=_("This campaign already has a draft version: edit or discard it first."),
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status="published"),
                name="version_one_published_per_campaign",
                violation_error_message=_("This campaign already has a published version."),
            ),
            models.CheckConstraint(
                condition=Q(category_min_ratio__gte=0) & Q(category_min_ratio__lte=1),
                name="version_ratio_0_to_1",
                violation_error_message=_("The share must be between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(threshold_total__gte=0),
                name="version_threshold_not_negative",
                violation_error_message=_("The threshold cannot be negative."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_1"),
        ]

    def __str__(self):
        if self.label:
            return f"{self.campaign} · v{self.number} ({self.label})"
        return f"{self.campaign} · v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_VERSION_STATUSES


class Category(models.Model):
    """A heading of the standard, e.g. （一）组织管理工作."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("standard version"), on_delete=models.CASCADE, related_name="categories"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=8, help_text=_("The numeral shown in brackets, e.g. 一."))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="category_order_unique_per_version"),
        ]

    def __str__(self):
        return f"（{self.code}）{self.name}"


class Indicator(models.Model):
    """One line of the standard with its point value, how to award points and what
    evidence a unit should show."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("indicator"))
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=5,
        decimal_places=1,
        validators=[validate_positive_score, validate_half_step],
    )
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence = models.TextField(_("expected evidence"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["category", "order"], name="indicator_order_unique_per_category"),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="indicator_max_score_positive",
                violation_error_message=_("The maximum score must be greater than 0."),
            ),
        ]

    def __str__(self):
        return self.text[:60]


class VetoItem(models.Model):
    """A 一票否决 condition: when it applies, the unit is not named whatever its score."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("standard version"), on_delete=models.CASCADE, related_name="veto_items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("veto condition"))

    class Meta:
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="veto_order_unique_per_version"),
        ]

    def __str__(self):
        return self.text[:60]
