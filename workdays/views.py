"""The working-day calendar: the years and where each one's working days come from, a
year's days, and entering, uploading or removing the province's arrangement of a year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import roles
from core.files import as_download
from core.forms import add_service_errors
from core.ratelimit import allow_upload
from workdays import calendar, selectors, services, spreadsheets
from workdays.forms import ArrangementForm, HolidayRowFormSet, UploadForm, rows_of
from workdays.models import FIRST_YEAR, LAST_YEAR, HolidayYear
from workdays.permissions import KEEPERS, READERS, can_keep_calendar


def _year(year: int) -> HolidayYear | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return HolidayYear.objects.filter(year=year).prefetch_related("days").first()


@roles(*READERS)
def year_list(request):
    return render(
        request,
        "workdays/year_list.html",
        {
            "rows": selectors.year_rows(),
            "missing": selectors.years_to_enter(),
            "can_keep": can_keep_calendar(request.user),
        },
    )


@roles(*READERS)
def year_detail(request, year):
    arrangement = _year(year)
    package_holidays, package_workdays = selectors.package_days(year)
    return render(
        request,
        "workdays/year_detail.html",
        {
            "year": year,
            "arrangement": arrangement,
            "days": list(arrangement.days.all()) if arrangement else [],
            "basis": calendar.basis(year),
            "Basis": calendar.Basis,
            "in_package": year in calendar.package_years(),
            "package_holidays": package_holidays,
            "package_workdays": package_workdays,
            "can_keep": can_keep_calendar(request.user),
        },
    )


@roles(*KEEPERS)
def year_edit(request, year):
    arrangement = _year(year)
    token = services.year_token(year)
    form = ArrangementForm(request.POST or None, instance=arrangement, edit_token=token)
    rows = rows_of(arrangement.days.all() if arrangement else [])
    formset = HolidayRowFormSet(request.POST or None, initial=rows, prefix="rows")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        days = [day for row in formset.forms for day in row.days()]
        try:
            services.save_year(
                actor=request.user,
                year=year,
                days=days,
                **form.cleaned_data,  # with its edit_token
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The holiday arrangement of %(year)s was saved.") % {"year": year})
            return redirect("workdays:year-detail", year=year)
    return render(
        request,
        "workdays/year_edit.html",
        {
            "year": year,
            "arrangement": arrangement,
            "form": form,
            "formset": formset,
            "upload_form": UploadForm(instance=arrangement, edit_token=token, auto_id="upload_%s"),
            "in_package": year in calendar.package_years(),
        },
        status=422 if request.method == "POST" else 200,
    )


@roles(*KEEPERS)
@require_POST
def year_upload(request, year):
    arrangement = _year(year)
    form = UploadForm(
        request.POST, request.FILES, instance=arrangement, edit_token=services.year_token(year), auto_id="upload_%s"
    )
    if allow_upload(request, form, "file") and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services.save_year(
                actor=request.user, year=year, days=spreadsheets.read_days(upload), source="upload", **data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                form.add_error("file", error)
        else:
            messages.success(
                request, _("The holiday arrangement of %(year)s was read from the workbook.") % {"year": year}
            )
            return redirect("workdays:year-detail", year=year)
    token = services.year_token(year)
    return render(
        request,
        "workdays/year_edit.html",
        {
            "year": year,
            "arrangement": arrangement,
            "form": ArrangementForm(instance=arrangement, edit_token=token),
            "formset": HolidayRowFormSet(initial=rows_of(arrangement.days.all() if arrangement else []), prefix="rows"),
            "upload_form": form,
            "in_package": year in calendar.package_years(),
        },
        status=422,
    )


@roles(*KEEPERS)
@require_POST
def year_delete(request, year):
    try:
        services.delete_year(actor=request.user, year=year)
    except HolidayYear.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The province's arrangement of %(year)s was removed.") % {"year": year})
    return redirect("workdays:year-list")


@roles(*KEEPERS)
def template(request, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    response = HttpResponse(spreadsheets.template_workbook(year), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    return as_download(response, filename=_("holiday-arrangement-%(year)s.xlsx") % {"year": year})
