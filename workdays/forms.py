from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import EditTokenMixin
from workdays.models import DayKind, HolidayYear
from workdays.services import Day

# The seven public holidays of the State Council's yearly notice, in its order: a new
# year's form offers a row for each.
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
# Blank rows below the filled ones, for a holiday the list does not name or a third
# weekend worked (the workbook upload takes any number).
SPARE_ROWS = 2
LONGEST_HOLIDAY_DAYS = 31


def _date_field(label):
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ArrangementForm(EditTokenMixin, forms.ModelForm):
    class Meta:
        model = HolidayYear
        fields = ["doc_number", "corrects_package", "note"]


class HolidayRowForm(forms.Form):
    """One holiday of the notice: its days off (first to last, weekends inside included)
    and up to two weekend days worked for it. A row left blank is no holiday."""

    name = forms.CharField(label=_("Holiday"), max_length=50, required=False)
    first_day = _date_field(_("First day off"))
    last_day = _date_field(_("Last day off"))
    workday_1 = _date_field(_("Weekend day worked"))
    workday_2 = _date_field(_("Another weekend day worked"))

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        worked = [data.get("workday_1"), data.get("workday_2")]
        dated = first or last or any(worked)
        if self.errors:
            return data
        if dated and not data.get("name", "").strip():
            self.add_error("name", forms.ValidationError(_("Name the holiday these days belong to."), code="name"))
        if data.get("name", "").strip() and not dated:
            self.add_error(
                "first_day",
                forms.ValidationError(
                    _("Give the days off of %(name)s, or clear its name."),
                    code="no_days",
                    params={"name": data["name"]},
                ),
            )
        if bool(first) != bool(last):
            field = "last_day" if first else "first_day"
            self.add_error(field, forms.ValidationError(_("Give both the first and the last day off."), code="range"))
        elif first and last < first:
            self.add_error("last_day", forms.ValidationError(_("The last day off is before the first."), code="order"))
        elif first and (last - first).days >= LONGEST_HOLIDAY_DAYS:
            self.add_error(
                "last_day",
                forms.ValidationError(
                    _("A holiday of more than %(days)s days? Check the dates."),
                    code="too_long",
                    params={"days": LONGEST_HOLIDAY_DAYS},
                ),
            )
        return data

    def days(self) -> list[Day]:
        data = self.cleaned_data
        if not data or not data.get("name", "").strip():
            return []
        name = data["name"].strip()
        days = []
        if data.get("first_day") and data.get("last_day"):
            span = (data["last_day"] - data["first_day"]).days
            days += [Day(data["first_day"] + timedelta(days=n), DayKind.HOLIDAY, name) for n in range(span + 1)]
        days += [Day(day, DayKind.WORKDAY, name) for day in (data.get("workday_1"), data.get("workday_2")) if day]
        return days


DATE_FIELDS = ("first_day", "last_day", "workday_1", "workday_2")


class BaseHolidayRowFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        offered = (self.initial or [])[index] if index is not None and index < len(self.initial or []) else {}
        # A row offered with a holiday's name alone (a new year's seven) and left as it was
        # is no holiday yet, not a mistake; a saved row is always read and checked.
        kwargs["empty_permitted"] = not any(offered.get(name) for name in DATE_FIELDS)
        return kwargs


HolidayRowFormSet = forms.formset_factory(
    HolidayRowForm, formset=BaseHolidayRowFormSet, extra=0, max_num=60, validate_max=True
)


def rows_of(days) -> list[dict]:
    """The form's rows for saved days (objects with day, kind, name): each holiday's run
    of consecutive days off in one row with up to two of its weekend days worked; for a
    new year, a blank row for each of the seven holidays. SPARE_ROWS blank rows follow."""
    rows: list[dict] = []
    by_name: dict[str, list[dict]] = {}
    for entry in sorted(days, key=lambda entry: entry.day):
        if entry.kind != DayKind.HOLIDAY:
            continue
        runs = by_name.setdefault(entry.name, [])
        if runs and runs[-1]["last_day"] == entry.day - timedelta(days=1):
            runs[-1]["last_day"] = entry.day
        else:
            runs.append({"name": entry.name, "first_day": entry.day, "last_day": entry.day})
            rows.append(runs[-1])
    for entry in sorted(days, key=lambda entry: entry.day):
        if entry.kind != DayKind.WORKDAY:
            continue
        target = next(
            (
                row
                for row in rows
                if row["name"] == entry.name and (not row.get("workday_1") or not row.get("workday_2"))
            ),
            None,
        )
        if target is None:
            target = {"name": entry.name}
            rows.append(target)
        target["workday_1" if not target.get("workday_1") else "workday_2"] = entry.day
    if not rows:
        rows = [{"name": name} for name in FESTIVALS]
    return rows + [{} for _ in range(SPARE_ROWS)]


class UploadForm(EditTokenMixin, forms.ModelForm):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("The template filled in: one row a day. It replaces every day entered for this year."),
    )

    class Meta:
        model = HolidayYear
        fields = ["doc_number", "corrects_package", "note"]
