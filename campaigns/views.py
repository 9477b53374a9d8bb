from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import permissions, selectors, services
from campaigns.forms import (
    CampaignFilterForm,
    CampaignForm,
    IndicatorForm,
    VersionSettingsForm,
    VetoItemFormSet,
    veto_texts,
)
from campaigns.models import Campaign, CampaignStatus, StandardVersion, VersionStatus
from campaigns.scoring import compute_totals
from core.access import public, roles
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.roles import BUSINESS_ROLES, Role

READERS = tuple(sorted(BUSINESS_ROLES))


@roles(*READERS)
def campaign_list(request):
    form = CampaignFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    campaigns = selectors.campaigns_for_list(request.user)
    if status:
        campaigns = campaigns.filter(status=status)
    page = paginate(request, campaigns.order_by("-start_date", "-pk"))
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": CampaignStatus.choices,
            "can_manage": permissions.can_manage_campaigns(request.user),
        },
    )


@roles(*READERS)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    versions = list(selectors.versions_of(campaign, request.user))
    can_manage = permissions.can_manage_campaigns(request.user)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "versions": versions,
            "current": next((v for v in versions if v.status == VersionStatus.PUBLISHED), None),
            "can_manage": can_manage,
            "can_create_version": permissions.can_create_version(request.user, campaign),
        },
    )


@roles(Role.PROVINCE_ADMIN)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": campaign.name})
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form}, status=422 if form.is_bound else 200)


@roles(Role.PROVINCE_ADMIN)
def campaign_edit(request, pk):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    form = CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    status = 422 if form.is_bound else 200
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign}, status=status)


@public
def standard(request, pk):
    """The standard in force of a campaign, for anyone: units reading what is expected of
    them, inspectors on a phone on site."""
    campaign = get_object_or_404(Campaign.objects.public(), pk=pk)
    version = selectors.with_content(campaign.versions.published()).first()
    context = {"campaign": campaign, "version": version}
    if version is not None:
        context.update(totals=compute_totals(version), veto_items=version.veto_items.all())
    return render(request, "campaigns/standard.html", context)


@roles(*READERS)
def version_detail(request, pk):
    version = get_object_or_404(selectors.with_content(StandardVersion.objects.visible_to(request.user)), pk=pk)
    return render(
        request,
        "campaigns/version_detail.html",
        {
            "version": version,
            "campaign": version.campaign,
            "totals": compute_totals(version),
            "veto_items": version.veto_items.all(),
            "can_edit": permissions.can_edit_version(request.user, version),
        },
    )


@roles(Role.PROVINCE_ADMIN)
@require_POST
def version_create(request, pk):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    try:
        version = services.create_version(actor=request.user, campaign=campaign)
    except ValidationError as error:
        report_error(request, error)
        return redirect("campaigns:detail", pk=campaign.pk)
    messages.success(request, _("Version %(number)s was created as a draft.") % {"number": version.number})
    return redirect("campaigns:version-edit", pk=version.pk)


@roles(Role.PROVINCE_ADMIN)
def version_edit(request, pk):
    version = get_object_or_404(selectors.with_content(StandardVersion.objects.visible_to(request.user)), pk=pk)
    if not version.is_draft:
        messages.error(request, _("A published or retired version cannot change. Create a new version instead."))
        return redirect("campaigns:version-detail", pk=version.pk)
    totals = compute_totals(version)
    data = request.POST if request.method == "POST" else None
    # The forms get their own copies: a bound ModelForm writes the typed values onto its
    # instance, and the page must keep showing what is saved next to what was typed.
    settings_form = VersionSettingsForm(
        data, instance=StandardVersion.objects.get(pk=pk), prefix="version", edit_token=services.draft_token(version)
    )
    sections = [
        (category, [IndicatorForm(data, instance=copy(i), prefix=f"indicator-{i.pk}") for i in category.indicators])
        for category in totals.categories
    ]
    indicator_forms = [form for _category, forms in sections for form in forms]
    veto_formset = VetoItemFormSet(
        data, initial=[{"text": item.text} for item in version.veto_items.all()], prefix="veto"
    )
    if data is not None:
        valid = all([settings_form.is_valid(), veto_formset.is_valid(), *(f.is_valid() for f in indicator_forms)])
        if valid:
            try:
                services.update_draft(
                    actor=request.user,
                    version=version,
                    settings=settings_form.cleaned_data,
                    indicators={form.instance.pk: form.cleaned_data for form in indicator_forms},
                    veto_items=veto_texts(veto_formset),
                    edit_token=settings_form.cleaned_data.get("edit_token"),
                )
            except ValidationError as error:
                add_service_errors(settings_form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("campaigns:version-edit", pk=version.pk)
        messages.error(request, _("Nothing was saved: correct the marked fields."))
    return render(
        request,
        "campaigns/version_form.html",
        {
            "version": version,
            "campaign": version.campaign,
            "totals": totals,
            "settings_form": settings_form,
            "sections": sections,
            "veto_formset": veto_formset,
        },
    )


@roles(Role.PROVINCE_ADMIN)
@require_POST
def version_publish(request, pk):
    version = get_object_or_404(StandardVersion.objects.visible_to(request.user), pk=pk)
    try:
        services.publish_version(actor=request.user, version=version)
    except ValidationError as error:
        report_error(request, error)
        if version.is_draft:
            return redirect("campaigns:version-edit", pk=version.pk)
    else:
        messages.success(
            request,
            _("Version %(number)s is published and in force; the previous version was retired.")
            % {"number": version.number},
        )
    return redirect("campaigns:version-detail", pk=version.pk)


@roles(Role.PROVINCE_ADMIN)
@require_POST
def version_discard(request, pk):
    version = get_object_or_404(StandardVersion.objects.visible_to(request.user), pk=pk)
    try:
        services.discard_draft(actor=request.user, version=version)
    except ValidationError as error:
        report_error(request, error)
        return redirect("campaigns:version-detail", pk=version.pk)
    messages.success(request, _("The draft version was discarded."))
    return redirect("campaigns:detail", pk=version.campaign_id)
