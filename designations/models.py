"""Naming (命名) and what keeps the title meaningful afterwards (动态管理).

A NamingAnnouncement is the province's decision, with its 文号, naming a list of
scored applications; each named site is a Designation with a certificate number drawn
from the campaign's pattern by a CertificateCounter (unique and gap-free per campaign
and year). A ReviewRound asks the sites named at least a year before for a YearlyReport;
staff decide keep, keep with rectification, or revoke (撤销命名). Every write goes
through designations.services; application states change only through
applications.workflow.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.scoping import in_unit_scope


class NamingAnnouncement(models.Model):
    """A naming announcement (命名公告): document number, date, issuing body."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="announcements"
    )
    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=100)
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(_("issuing body"), max_length=200)
    notice = models.OneToOneField(
        "notices.Notice", verbose_name=_("notice"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("naming announcement")
        verbose_name_plural = _("naming announcements")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                name="announcement_doc_number_unique",
                violation_error_message=_("An announcement with this document number already exists."),
            )
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}"


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("designation status", "Named")
    REVOKED = "revoked", pgettext_lazy("designation status", "Revoked")


class DesignationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Named sites `user` may manage or read inside the platform: all for the province,
        its subtree's for an association, its own for a unit; none for anyone else (the
        public reads through `public()`)."""
        return in_unit_scope(self, user)

    def public(self):
        """The sites anyone may see: named and not revoked."""
        return self.filter(status=DesignationStatus.ACTIVE)


class Designation(models.Model):
    """A named site (示范点): the unit, its certificate number and since when it holds the title."""

    application = models.OneToOneField(
        "applications.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="designation"
    )
    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="designations"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="designations"
    )
    announcement = models.ForeignKey(
        NamingAnnouncement, verbose_name=_("announcement"), on_delete=models.PROTECT, related_name="designations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    certificate_number = models.CharField(_("certificate number"), max_length=100, unique=True)
    named_on = models.DateField(_("named on"))
    status = models.CharField(
        _("status"), max_length=16, choices=DesignationStatus.choices, default=DesignationStatus.ACTIVE, db_index=True
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_doc_number = models.CharField(_("document number of the revocation"), max_length=100, blank=True)
    revoke_reason = models.TextField(_("reasons for revoking"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = _("named site")
        verbose_name_plural = _("named sites")
        ordering = ["-named_on", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year", "serial"], name="designation_serial_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "-named_on"], name="designation_public_idx"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.certificate_number}"

    @property
    def is_active(self) -> bool:
        return self.status == DesignationStatus.ACTIVE


class CertificateCounter(models.Model):
    """The last serial given in a campaign and year; its row lock keeps numbers gap-free."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "year"], name="certificate_counter_unique")]

    def __str__(self):
        return f"{self.campaign_id}/{self.year}: {self.last_serial}"


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review round status", "Open")
    CLOSED = "closed", pgettext_lazy("review round status", "Closed")


class ReviewRound(models.Model):
    """A yearly review (年度复核) of the sites named at least a year before it opened."""

    title = models.CharField(_("title"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("reports due"))
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    instructions = models.TextField(_("what the report should cover"), blank=True, max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("yearly report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("yearly report status", "Submitted")
    DECIDED = "decided", pgettext_lazy("yearly report status", "Decided")


class Outcome(models.TextChoices):
    KEEP = "keep", _("Keep the title")
    RECTIFY = "rectify", _("Keep, with rectification")
    REVOKE = "revoke", _("Revoke the title")


class YearlyReport(models.Model):
    """One named site's report in a review round, and the province's decision on it."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review round"), on_delete=models.PROTECT, related_name="reports"
    )
    designation = models.ForeignKey(
        Designation, verbose_name=_("named site"), on_delete=models.PROTECT, related_name="yearly_reports"
    )
    text = models.TextField(_("what the site did this year"), blank=True, max_length=10000)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices, blank=True)
    rectification = models.TextField(_("what to rectify"), blank=True, max_length=4000)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "designation"], name="yearly_report_unique"),
            models.CheckConstraint(
                condition=~Q(outcome="rectify") | Q(rectify_by__isnull=False),
                name="yearly_report_rectify_has_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.designation}"


def report_file_upload_to(instance, filename):
    # Services store files under random names first; this only names a folder.
    return f"designations/{filename}"


class YearlyReportFile(models.Model):
    """A material attached to a yearly report (checked and stored like a unit's materials)."""

    report = models.ForeignKey(YearlyReport, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to=report_file_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
