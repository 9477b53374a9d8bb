"""The associations' side of the campaign: reminders to units that are behind, and the
progress reports (进展情况反馈) each association directly below the province files per
reporting period. Writes go through reports.services only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import PROVINCE_ROLES, Role

DEFAULT_GRACE_DAYS = 10


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")


# How many months each period of a frequency spans; periods follow the calendar
# (quarters begin in January, April, July and October; half-years in January and July).
MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6}


class ReportingSchedule(models.Model):
    """From which month, how often the associations of a campaign report, and how many
    days after a period ends its report is due. A campaign without a row has no reporting
    periods: reporting begins when the provincial administrator sets the schedule
    (reports.selectors.schedule_of answers an unsaved default for the form)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="reporting_schedule"
    )
    starts_on = models.DateField(
        _("reporting starts"),
        help_text=_("The first month reported on. Nothing before it is due or late."),
    )
    frequency = models.CharField(
        _("reporting period"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days allowed after the period ends"),
        default=DEFAULT_GRACE_DAYS,
        validators=[MaxValueValidator(90, message=_("Allow at most 90 days after the period ends."))],
        help_text=_("A report not submitted by then counts as late."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")

    def __str__(self):
        return f"{self.campaign} · {self.get_frequency_display()}"

    def clean(self):
        if self.starts_on is None or self.campaign_id is None:
            return
        campaign = self.campaign
        if self.starts_on < campaign.start_date.replace(day=1):
            raise ValidationError(
                {
                    "starts_on": _("Reporting cannot start before the campaign (%(month)s).")
                    % {"month": campaign.start_date.strftime("%Y-%m")}
                }
            )
        if campaign.end_date and self.starts_on > campaign.end_date:
            raise ValidationError(
                {
                    "starts_on": _("Reporting cannot start after the campaign ends (%(day)s).")
                    % {"day": campaign.end_date.isoformat()}
                }
            )


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("progress report state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("progress report state", "Submitted")


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports `user` may read: every submitted report and nobody's draft for the
        province; its own association's reports (drafts included) for an association;
        nothing for anyone else. Every page and export starts here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES:
            return self.filter(state=ReportState.SUBMITTED)
        if user.role == Role.ASSOCIATION and user.organisation_id:
            return self.filter(association_id=user.organisation_id)
        return self.none()

    def submitted(self):
        return self.filter(state=ReportState.SUBMITTED)


class ProgressReport(models.Model):
    """One association's report for one period of a campaign.

    `statistics` are the workspace figures of the association's subtree
    (reports.selectors.subtree_statistics) as of `statistics_as_of`: refreshed while the
    report is a draft, frozen when it is submitted; nothing changes a submitted report
    but its comments."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    association = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT, editable=False
    )
    statistics = models.JSONField(_("statistics"), default=dict, editable=False)
    statistics_as_of = models.DateField(_("statistics as of"), null=True, editable=False)
    narrative = models.TextField(_("progress of the work"), max_length=10000)
    practices = models.TextField(_("typical practices"), blank=True, max_length=10000)
    problems = models.TextField(_("problems and next steps"), blank=True, max_length=10000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_start", "association__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "association", "period_start"],
                name="progress_report_one_per_period",
                violation_error_message=_("This association already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(submitted_at__isnull=False),
                name="progress_report_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.association} · {self.period_start:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ReportState.SUBMITTED


class ReportComment(models.Model):
    """The province's remark on a submitted report; never edited or deleted."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["report", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class UnitReminder(models.Model):
    """A reminder sent to a unit that is behind. One per unit and day (the constraint
    settles two concurrent clicks): a unit is not flooded."""

    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit reminder")
        verbose_name_plural = _("unit reminders")
        constraints = [models.UniqueConstraint(fields=["unit", "sent_on"], name="unit_reminder_once_a_day")]

    def __str__(self):
        return f"{self.unit} · {self.sent_on}"
