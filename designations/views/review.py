"""The yearly review (年度复核): rounds (province), a unit's report, and the decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import roles
from core.files import stream_stored
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES, Role
from designations.forms_review import DecisionForm, ReportFileForm, ReportFilterForm, ReportForm, RoundForm
from designations.models import ReportStatus, ReviewRound, RoundStatus
from designations.services import review as services

# Who may read a report at all; services.reports_visible_to then decides which.
REPORT_READERS = (*PROVINCE_ROLES, Role.ASSOCIATION, Role.UNIT)


def _reports(request):
    return services.reports_visible_to(request.user).select_related(
        "round", "designation__unit__parent", "designation__application", "decided_by"
    )


def _report_or_404(request, pk):
    return get_object_or_404(_reports(request), pk=pk)


# --- Rounds (province) ---------------------------------------------------------------


@roles(*PROVINCE_ROLES)
def round_list(request):
    """Every review round, newest first, with how far its reports are."""
    queryset = ReviewRound.objects.annotate(**services.round_annotations()).order_by("-opened_on", "-pk")
    return render(request, "designations/review/rounds.html", {"page_obj": paginate(request, queryset)})


@roles(*PROVINCE_ROLES)
def round_create(request):
    """Open a round: every site named a year or more before it opened gets a report to write."""
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.open_round(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The round is open: %(count)d sites are asked for their yearly report; their units are notified.")
                % {"count": review.reports.count()},
            )
            return redirect("designations:review-round", pk=review.pk)
    opened_on = (form.cleaned_data.get("opened_on") if form.is_bound else None) or form.initial["opened_on"]
    context = {
        "form": form,
        "eligible_count": services.eligible_designations(opened_on).count(),
        "named_by": services.one_year_before(opened_on),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "designations/review/round_form.html", context, status=status)


@roles(*PROVINCE_ROLES)
def round_detail(request, pk):
    """A round's reports with their status and decision, filtered and paginated; a POST
    with action=close closes the round."""
    review = get_object_or_404(ReviewRound.objects.select_related("created_by"), pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "close":
            try:
                services.close_round(actor=request.user, review=review)
            except ValidationError as error:
                report_error(request, error)
            else:
                messages.success(request, _("The round is closed: units can no longer change their reports."))
        return redirect("designations:review-round", pk=pk)
    form = ReportFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = _reports(request).filter(round=review)
    if data.get("q"):
        queryset = queryset.filter(designation__unit__name__contains=data["q"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("outcome"):
        queryset = queryset.filter(outcome=data["outcome"])
    queryset = queryset.annotate(**services.report_annotations()).order_by("designation__named_on", "pk")
    return render(
        request,
        "designations/review/round.html",
        {
            "review": review,
            "filter_form": form,
            "page_obj": paginate(request, queryset),
            "counts": services.report_counts(review),
            "is_open": review.status == RoundStatus.OPEN,
        },
    )


# --- Reports -------------------------------------------------------------------------


def _report_page(request, report, *, form=None, file_form=None, decision_form=None, status=200):
    user = request.user
    editable = services.can_edit_report(user, report)
    deciding = services.can_decide(user) and report.status == ReportStatus.SUBMITTED
    can_revoke = services.can_revoke(user)
    context = {
        "report": report,
        "review": report.round,
        "designation": report.designation,
        "files": list(report.files.all()),
        "editable": editable,
        "is_operator": services.is_operator_of(user, report),
        "is_province": user.role in PROVINCE_ROLES,
        "deciding": deciding,
        "can_revoke": can_revoke,
    }
    if editable:
        context["form"] = form or ReportForm(initial={"text": report.text}, edit_token=services.report_token(report))
        context["file_form"] = file_form or ReportFileForm()
    if deciding:
        context["decision_form"] = decision_form or DecisionForm(can_revoke=can_revoke)
    return render(request, "designations/review/report.html", context, status=status)


@roles(*REPORT_READERS)
def report_detail(request, pk):
    """A yearly report: its unit writes it (a POST saves the draft), the association reads
    it, the province reads it and decides."""
    report = _report_or_404(request, pk)
    if request.method != "POST":
        return _report_page(request, report)
    form = ReportForm(request.POST, edit_token="")
    if form.is_valid():
        try:
            services.save_report(
                actor=request.user,
                report=report,
                text=form.cleaned_data["text"],
                edit_token=form.cleaned_data["edit_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("designations:review-report", pk=pk)
    report.refresh_from_db()
    return _report_page(request, report, form=form, status=422)


@roles(Role.UNIT)
@require_POST
def report_submit(request, pk):
    """Save the text sent along, then submit the report."""
    report = _report_or_404(request, pk)
    form = ReportForm(request.POST, edit_token="")
    if form.is_valid():
        try:
            if "text" in request.POST:
                report = services.save_report(
                    actor=request.user,
                    report=report,
                    text=form.cleaned_data["text"],
                    edit_token=form.cleaned_data["edit_token"],
                )
            services.submit_report(actor=request.user, report=report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your yearly report is submitted; the provincial office is notified."))
            return redirect("designations:review-report", pk=pk)
    report.refresh_from_db()
    return _report_page(request, report, form=form, status=422)


@roles(Role.UNIT)
@require_POST
def report_file_upload(request, pk):
    report = _report_or_404(request, pk)
    form = ReportFileForm(request.POST, request.FILES)
    if allow_upload(request, form, "file") and form.is_valid():
        try:
            item = services.add_report_file(actor=request.user, report=report, upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was uploaded.") % {"name": item.original_name})
            return redirect(f"{reverse('designations:review-report', kwargs={'pk': pk})}#files")
    report.refresh_from_db()
    return _report_page(request, report, file_form=form, status=422)


@roles(*REPORT_READERS)
def report_file(request, pk):
    """Stream a report's file under its original name to someone who may read the report."""
    item = get_object_or_404(services.files_visible_to(request.user).select_related("report__designation__unit"), pk=pk)
    return stream_stored(
        request,
        item.file.name,
        obj=item,
        scope=item.report.designation.unit,
        filename=item.original_name,
        content_type=item.content_type,
    )


@roles(*PROVINCE_ROLES)
@require_POST
def report_decide(request, pk):
    report = _report_or_404(request, pk)
    can_revoke = services.can_revoke(request.user)
    form = DecisionForm(request.POST, can_revoke=can_revoke)
    if form.is_valid():
        try:
            services.decide_report(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded; the unit is notified."))
            return redirect("designations:review-report", pk=pk)
    report = _report_or_404(request, pk)
    if report.status != ReportStatus.SUBMITTED:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("designations:review-report", pk=pk)
    return _report_page(request, report, decision_form=form, status=422)


@roles(Role.UNIT)
def my_reports(request):
    """The unit's reports in open rounds, and its earlier reviews with their decisions."""
    reports = _reports(request).order_by("-round__opened_on", "-pk")
    return render(
        request,
        "designations/review/mine.html",
        {
            "open_reports": list(reports.filter(round__status=RoundStatus.OPEN)),
            "earlier": paginate(request, reports.exclude(round__status=RoundStatus.OPEN)),
        },
    )
