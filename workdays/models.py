"""The province's own record of the State Council's yearly holiday arrangement
(国务院办公厅关于某年部分节假日安排的通知): the public holidays and the adjusted working days
(调休上班) of one year, entered or uploaded by the provincial or system administrator.

Which of these entries count, and when the installed `chinesecalendar` package is read
instead, is decided in one place: workdays.calendar.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2099


class HolidayYear(models.Model):
    """One year's arrangement as the province keeps it (one row a year)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    doc_number = models.CharField(
        _("document number"),
        max_length=100,
        help_text=_("The number of the State Council's notice, e.g. 国办发明电〔2026〕7号."),
    )
    corrects_package = models.BooleanField(
        _("correct the installed calendar"),
        default=False,
        help_text=_(
            "Only for a year the installed calendar already covers: tick it when that calendar is wrong "
            "and these entries must be used for the days they name."
        ),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("holiday arrangement")
        verbose_name_plural = _("holiday arrangements")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Adjusted working day (work on a weekend)")


class HolidayDay(models.Model):
    """One day of a year's arrangement: a day off, or a weekend day worked."""

    arrangement = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=50, help_text=_("e.g. 春节, 国庆节"))

    class Meta:
        verbose_name = _("holiday arrangement day")
        verbose_name_plural = _("holiday arrangement days")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"
