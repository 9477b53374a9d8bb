from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.services import record_event
from campaigns.models import Campaign
from campaigns.selectors import current_campaign
from core.access import roles
from core.files import attachment
from core.forms import add_service_errors
from core.pagination import PER_PAGE, paginate
from core.roles import PROVINCE_ROLES, Role
from reports import documents, selectors, services
from reports.forms import (
    AssociationSearchForm,
    CommentForm,
    PeriodFilterForm,
    RemindForm,
    ReportForm,
    ScheduleForm,
    UnitFilterForm,
)
from reports.labels import state_label
from reports.models import ProgressReport

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTING_ROLES = (Role.ASSOCIATION, *PROVINCE_ROLES)


# The association's workspace


def _workspace_context(request, organisation, list_url: str) -> dict:
    campaign = current_campaign()
    context = {"organisation": organisation, "campaign": campaign, "list_url": list_url}
    if campaign is not None:
        statistics = selectors.workspace_statistics(
            path=organisation.path, campaign=campaign, today=timezone.localdate()
        )
        context["statistics"] = statistics
        context["state_rows"] = [row for row in selectors.statistic_rows(statistics) if row[0].startswith("state:")]
    return context


@roles(*REPORTING_ROLES)
def workspace(request):
    """The association's own workspace; for the province, the list of associations whose
    workspace it may open."""
    if request.user.role == Role.ASSOCIATION:
        organisation = selectors.workspace_organisation(request.user)
        context = _workspace_context(request, organisation, reverse("reports:workspace-units"))
        return render(request, "reports/workspace.html", context)
    associations = selectors.associations_for_choice(request.user)
    query = AssociationSearchForm(request.GET).query()
    if query:
        associations = associations.filter(name__icontains=query)
    return render(request, "reports/workspace_choose.html", {"page_obj": paginate(request, associations), "q": query})


@roles(*PROVINCE_ROLES)
def workspace_of(request, pk):
    organisation = selectors.workspace_organisation(request.user, pk)
    context = _workspace_context(request, organisation, reverse("reports:workspace-units-of", kwargs={"pk": pk}))
    return render(request, "reports/workspace.html", context)


def _unit_list(request, organisation, *, can_remind: bool):
    campaign = current_campaign()
    form = UnitFilterForm(request.GET or None)
    filters = form.filters()
    today = timezone.localdate()
    units = (
        selectors.units_for_list(path=organisation.path, campaign=campaign, today=today, filters=filters)
        if campaign
        else selectors.units_within(organisation.path).none()
    )
    page_obj = paginate(request, units)
    for unit in page_obj:
        unit.is_behind = (not unit.has_plan and not unit.has_application) or unit.overdue_count > 0
        unit.application_state_label = state_label(unit.application_state) if unit.application_state else ""
    return render(
        request,
        "reports/unit_list.html",
        {
            "organisation": organisation,
            "campaign": campaign,
            "filter_form": form,
            "filters": filters,
            "page_obj": page_obj,
            "can_remind": can_remind and campaign is not None,
        },
    )


@roles(Role.ASSOCIATION)
def workspace_units(request):
    """The units behind one of the workspace's numbers (?show=, ?state=)."""
    return _unit_list(request, selectors.workspace_organisation(request.user), can_remind=True)


@roles(*PROVINCE_ROLES)
def workspace_units_of(request, pk):
    return _unit_list(request, selectors.workspace_organisation(request.user, pk), can_remind=False)


def _picks(data) -> list[int]:
    """The unit keys ticked on the list; anything that is not a key is dropped (and a
    key outside the scope is dropped later, by the scoped query)."""
    return [int(value) for value in data.getlist("units")[: PER_PAGE * 4] if value.isdigit() and len(value) < 12]


@roles(Role.ASSOCIATION)
def remind(request):
    """Remind the units ticked on the list: first a page that names them and takes an
    optional message, then (confirm) the reminders. Only units of the association's
    subtree that are behind are ever reminded."""
    list_url = reverse("reports:workspace-units")
    campaign = current_campaign()
    if request.method != "POST" or campaign is None:
        return redirect(list_url)
    organisation = request.user.organisation
    today = timezone.localdate()
    offered = list(
        selectors.behind_units(path=organisation.path, campaign=campaign, today=today, pks=_picks(request.POST))
    )
    if not offered:
        messages.error(request, _("Choose at least one unit that is behind (not started or with overdue steps)."))
        return redirect(list_url)
    data = None
    if "confirm" in request.POST:
        # Only what was offered counts: a key outside the scope or not behind is dropped
        # rather than refusing the whole form.
        data = request.POST.copy()
        data.setlist("units", [str(unit.pk) for unit in offered])
    form = RemindForm(data, offered=offered)
    if form.is_valid():
        chosen = set(form.cleaned_data["units"])
        reminded, skipped = services.remind_units(
            actor=request.user,
            units=[unit for unit in offered if unit.pk in chosen],
            campaign=campaign,
            today=today,
            message=form.cleaned_data["message"],
        )
        if reminded:
            messages.success(
                request,
                ngettext("%(count)d unit was reminded.", "%(count)d units were reminded.", len(reminded))
                % {"count": len(reminded)},
            )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d unit was skipped: it was reminded today already.",
                    "%(count)d units were skipped: they were reminded today already.",
                    len(skipped),
                )
                % {"count": len(skipped)},
            )
        return redirect(list_url)
    return render(request, "reports/remind_confirm.html", {"form": form, "offered": offered, "campaign": campaign})


# Progress reports


def _campaign_or_404(user, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(user).public(), pk=pk)


@roles(*REPORTING_ROLES)
def progress(request):
    """The reporting periods of the current campaign: for an association with its own
    report of each, for the province with who reported and who is late."""
    campaign = current_campaign()
    today = timezone.localdate()
    periods = selectors.periods_of(campaign, today) if campaign else []
    context = {"campaign": campaign, "today": today, "schedule": selectors.schedule_of(campaign) if campaign else None}
    if request.user.role == Role.ASSOCIATION:
        context["is_reporter"] = selectors.is_reporter(request.user.organisation)
        own = selectors.own_reports_by_period(request.user, campaign) if campaign else {}
        rows = [{"period": period, "report": own.get(period.start)} for period in periods]
        for row in rows:
            report = row["report"]
            row["late"] = row["period"].is_late_on(today) and not (report and report.is_submitted)
        context["page_obj"] = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "reports/progress_association.html", context)
    rows = selectors.period_overview(campaign, periods, today) if campaign else []
    if request.GET.get("status") == "late":
        rows = [row for row in rows if row["late"]]
    context["page_obj"] = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context["only_late"] = request.GET.get("status") == "late"
    return render(request, "reports/progress_province.html", context)


@roles(Role.PROVINCE_ADMIN)
def schedule_edit(request):
    """The reporting schedule of the current campaign."""
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    schedule = selectors.schedule_of(campaign)
    form = ScheduleForm(request.POST or None, instance=schedule, edit_token=services.schedule_token(schedule))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_schedule(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reporting schedule was saved."))
            return redirect("reports:progress")
    return render(request, "reports/schedule_form.html", {"form": form, "campaign": campaign})


def _period_for(request, campaign_pk, period):
    campaign = _campaign_or_404(request.user, campaign_pk)
    today = timezone.localdate()
    return campaign, selectors.period_or_404(campaign, period, today), today


@roles(*PROVINCE_ROLES)
def period_detail(request, campaign_pk, period):
    """Who of the reporters submitted for one period, who has not, who is late."""
    campaign, period_obj, today = _period_for(request, campaign_pk, period)
    form = PeriodFilterForm(request.GET or None)
    status, query = "", ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    rows = selectors.reporters_for_period(campaign=campaign, period=period_obj, today=today, status=status)
    if query:
        rows = rows.filter(name__icontains=query)
    late_count = selectors.late_reporters(campaign=campaign, period=period_obj, today=today).count()
    return render(
        request,
        "reports/period_detail.html",
        {
            "campaign": campaign,
            "period": period_obj,
            "is_late": period_obj.is_late_on(today),
            "filter_form": form,
            "page_obj": paginate(request, rows),
            "late_count": late_count,
        },
    )


@roles(*PROVINCE_ROLES)
def period_remind(request, campaign_pk, period):
    """Remind the associations late with their report: a confirmation page, then the
    reminders."""
    campaign, period_obj, today = _period_for(request, campaign_pk, period)
    late = selectors.late_reporters(campaign=campaign, period=period_obj, today=today)
    if request.method == "POST":
        reminded = services.remind_late_reporters(actor=request.user, campaign=campaign, period=period_obj, today=today)
        if reminded:
            messages.success(
                request,
                ngettext("%(count)d association was reminded.", "%(count)d associations were reminded.", len(reminded))
                % {"count": len(reminded)},
            )
        else:
            messages.info(request, _("No association is late with this report."))
        return redirect("reports:period", campaign_pk=campaign.pk, period=period_obj.key)
    return render(
        request,
        "reports/period_remind.html",
        {"campaign": campaign, "period": period_obj, "late": list(late[: PER_PAGE * 4]), "late_count": late.count()},
    )


def _period_export(request, campaign_pk, period, *, extension: str):
    campaign, period_obj, _today = _period_for(request, campaign_pk, period)
    reports = list(selectors.reports_of_period(request.user, campaign=campaign, period=period_obj))
    if extension == "pdf":
        content, content_type = documents.period_pdf(campaign, period_obj, reports), PDF
    else:
        content, content_type = documents.period_xlsx(campaign, period_obj, reports), XLSX
    record_event(
        actor=request.user,
        action="reports.period_export",
        obj=campaign,
        details={"period": period_obj.key, "format": extension, "reports": len(reports)},
    )
    filename = _("Progress reports %(start)s.%(extension)s") % {"start": period_obj.key, "extension": extension}
    return attachment(content, filename=filename, content_type=content_type)


@roles(*PROVINCE_ROLES)
def period_xlsx(request, campaign_pk, period):
    """All submitted reports of one period as one Excel workbook."""
    return _period_export(request, campaign_pk, period, extension="xlsx")


@roles(*PROVINCE_ROLES)
def period_pdf(request, campaign_pk, period):
    """All submitted reports of one period as one PDF."""
    return _period_export(request, campaign_pk, period, extension="pdf")


@roles(Role.ASSOCIATION)
def report_write(request, campaign_pk, period):
    """Write (or go on writing) the association's draft report for one period."""
    campaign, period_obj, today = _period_for(request, campaign_pk, period)
    if not selectors.is_reporter(request.user.organisation):
        raise PermissionDenied
    report = (
        ProgressReport.objects.visible_to(request.user).filter(campaign=campaign, period_start=period_obj.start).first()
    )
    if report is not None and report.is_submitted:
        return redirect("reports:report-detail", pk=report.pk)
    form = ReportForm(request.POST or None, instance=report, edit_token=services.report_token(report))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.save_report(actor=request.user, campaign=campaign, period=period_obj, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved. Submit it when it is complete."))
            return redirect("reports:report-detail", pk=report.pk)
    statistics = report.statistics if report is not None else None
    if statistics is None or not statistics:
        statistics = selectors.subtree_statistics(path=request.user.organisation.path, campaign=campaign, today=today)
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "campaign": campaign,
            "period": period_obj,
            "report": report,
            "statistic_rows": selectors.statistic_rows(statistics),
        },
    )


@roles(*REPORTING_ROLES)
def report_detail(request, pk):
    report = selectors.report_for_page(request.user, pk)
    can_comment = request.user.role in PROVINCE_ROLES and report.is_submitted
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "statistic_rows": selectors.statistic_rows(report.statistics),
            "comments": report.comments.select_related("author"),
            "can_edit": request.user.role == Role.ASSOCIATION and not report.is_submitted,
            "comment_form": CommentForm() if can_comment else None,
        },
    )


@roles(Role.ASSOCIATION)
def report_submit(request, pk):
    """Submit a draft: a confirmation page, then the submission (statistics frozen)."""
    report = selectors.report_for_page(request.user, pk)
    if report.is_submitted:
        return redirect("reports:report-detail", pk=report.pk)
    if request.method == "POST":
        try:
            services.submit_report(actor=request.user, report=report)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("reports:report-detail", pk=report.pk)
        messages.success(request, _("The report was submitted to the province."))
        return redirect("reports:report-detail", pk=report.pk)
    return render(
        request,
        "reports/report_submit.html",
        {"report": report, "statistic_rows": selectors.statistic_rows(report.statistics)},
    )


@roles(*PROVINCE_ROLES)
@require_POST
def report_comment(request, pk):
    report = selectors.report_for_page(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_report(actor=request.user, report=report, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(f"{reverse('reports:report-detail', kwargs={'pk': report.pk})}#comments")
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "statistic_rows": selectors.statistic_rows(report.statistics),
            "comments": report.comments.select_related("author"),
            "can_edit": False,
            "comment_form": form,
        },
    )
