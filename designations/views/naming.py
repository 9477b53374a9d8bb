"""The naming decision (province), announcements, and named sites inside the platform."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Application, State
from applications.selectors import areas_for
from campaigns.selectors import current_campaign
from core.access import roles
from core.forms import add_service_errors
from core.pagination import paginate
from core.roles import PROVINCE_ROLES, Role
from designations import selectors
from designations.forms import AnnouncementForm, DeclineForm, ScoredFilterForm, SiteFilterForm
from designations.models import NamingAnnouncement
from designations.services import naming
from inspections.results import reason_text
from organisations.scoping import subtree_q

SITE_READERS = (*PROVINCE_ROLES, Role.ASSOCIATION, Role.UNIT)


def _scored_page(request, *, form=None, chosen=(), status=200):
    campaign = current_campaign()
    filter_form = ScoredFilterForm(request.GET or None, areas=areas_for(request.user))
    data = filter_form.cleaned_data if filter_form.is_valid() else {}
    queryset = selectors.filter_scored(selectors.scored_applications(request.user, campaign=campaign), data)
    page = paginate(request, queryset.order_by("registration_number", "pk"))
    rows = selectors.with_results(page)
    for application in rows:
        reasons = application.result.data["reasons"] if application.result else []
        application.reasons = [reason_text(reason) for reason in reasons]
    return render(
        request,
        "designations/scored.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "rows": rows,
            "filter_form": filter_form,
            "form": form or AnnouncementForm(campaign=campaign),
            "chosen": {str(pk) for pk in chosen},
            "can_decide": request.user.role == Role.PROVINCE_ADMIN,
        },
        status=status,
    )


@roles(*PROVINCE_ROLES)
def scored_list(request):
    """Scored applications with their team's result and recommendation; the provincial
    admin selects those to name and issues the announcement, or declines one."""
    return _scored_page(request)


@roles(Role.PROVINCE_ADMIN)
@require_POST
def announce(request):
    campaign = current_campaign()
    form = AnnouncementForm(request.POST, campaign=campaign)
    chosen = [value for value in request.POST.getlist("applications") if value.isdigit()]
    applications = list(
        selectors.scored_applications(request.user, campaign=campaign).filter(pk__in=[int(v) for v in chosen])
    )
    if form.is_valid():
        try:
            announcement = naming.announce_naming(
                actor=request.user, campaign=campaign, applications=applications, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d sites were named; the announcement is published as a notice.")
                % {"count": announcement.designations.count()},
            )
            return redirect("designations:announcement", pk=announcement.pk)
    return _scored_page(request, form=form, chosen=chosen, status=422)


@roles(Role.PROVINCE_ADMIN)
def decline(request, application_pk):
    """Decline to name one scored application, with reasons the unit reads."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("unit", "campaign"), pk=application_pk
    )
    if application.state != State.SCORED:
        messages.error(request, _("Only a scored application can be declined."))
        return redirect("applications:detail", pk=application.pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            naming.decline_naming(actor=request.user, application=application, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(unit)s is not named; the unit is notified.") % {"unit": application.unit.name}
            )
            return redirect("designations:scored")
    status = 422 if request.method == "POST" else 200
    return render(request, "designations/decline.html", {"application": application, "form": form}, status=status)


@roles(*PROVINCE_ROLES)
def announcement_list(request):
    queryset = NamingAnnouncement.objects.select_related("campaign", "notice").order_by("-issued_on", "-pk")
    return render(request, "designations/announcements.html", {"page_obj": paginate(request, queryset)})


@roles(*PROVINCE_ROLES)
def announcement_detail(request, pk):
    announcement = get_object_or_404(NamingAnnouncement.objects.select_related("campaign", "notice"), pk=pk)
    designations = announcement.designations.select_related("unit__parent").order_by("serial")
    return render(
        request,
        "designations/announcement.html",
        {"announcement": announcement, "page_obj": paginate(request, designations)},
    )


@roles(*SITE_READERS)
def site_list(request):
    """Named sites in the reader's scope, revoked ones included, filtered and paginated."""
    form = SiteFilterForm(request.GET or None, areas=areas_for(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.sites_for(request.user)
    if data.get("q"):
        queryset = queryset.filter(unit__name__contains=data["q"])
    if data.get("area"):
        queryset = queryset.filter(subtree_q(data["area"].path, prefix="unit__"))
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    return render(request, "designations/sites.html", {"page_obj": paginate(request, queryset), "filter_form": form})


@roles(*SITE_READERS)
def site_detail(request, pk):
    designation = get_object_or_404(selectors.sites_for(request.user), pk=pk)
    return render(request, "designations/site.html", {"designation": designation})
