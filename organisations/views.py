from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from core.access import roles
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.roles import Role
from organisations import permissions, services
from organisations.forms import OrganisationFilterForm, OrganisationForm, RefusalForm
from organisations.models import Organisation

MANAGERS = permissions.MANAGERS


def _filtered(queryset, form):
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if data["q"]:
        queryset = queryset.filter(name__icontains=data["q"])
    for name in ("kind", "sector", "status"):
        if data[name]:
            queryset = queryset.filter(**{name: data[name]})
    return queryset


@roles(*MANAGERS)
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    organisations = _filtered(Organisation.objects.visible_to(request.user), form).select_related("parent")
    page = paginate(request, organisations.order_by("path"))
    return render(request, "organisations/organisation_list.html", {"page_obj": page, "filter_form": form})


@roles(*MANAGERS, Role.UNIT)
def my_organisation(request):
    return redirect("organisations:detail", pk=request.user.organisation_id)


@roles(*MANAGERS, Role.UNIT)
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("parent"), pk=pk)
    form = OrganisationFilterForm(request.GET or None)
    children = _filtered(
        Organisation.objects.visible_to(request.user).filter(parent=organisation), form
    ).select_related("parent")
    page = paginate(request, children.in_official_order())
    accounts = organisation.users.order_by("username") if request.user.role != Role.UNIT else organisation.users.none()
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "ancestors": Organisation.objects.visible_to(request.user)
            .filter(pk__in=organisation.ancestor_ids())
            .order_by("depth"),
            "page_obj": page,
            "filter_form": form,
            "accounts": accounts[:50],
            "can_edit": permissions.can_manage_organisation(request.user, organisation),
            "can_add_child": permissions.can_create_below(request.user, organisation),
            "can_add_account": account_permissions.can_add_account(request.user, organisation),
        },
    )


@roles(*MANAGERS)
def organisation_create(request, parent_pk):
    parent = get_object_or_404(Organisation.objects.visible_to(request.user), pk=parent_pk)
    if not permissions.can_create_below(request.user, parent):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, kinds=permissions.creatable_kinds(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": organisation.name})
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/organisation_form.html", {"form": form, "parent": parent})


@roles(*MANAGERS)
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    if not permissions.can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    kinds = permissions.creatable_kinds(request.user) or [organisation.kind]
    if organisation.kind not in kinds:
        kinds = [organisation.kind, *kinds]
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=pk), kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": organisation})


@roles(*MANAGERS)
def registration_list(request):
    pending = Organisation.objects.visible_to(request.user).units().pending().select_related("parent")
    page = paginate(request, pending.order_by("created_at", "pk"))
    return render(request, "organisations/registration_list.html", {"page_obj": page, "refusal_form": RefusalForm()})


@roles(*MANAGERS)
@require_POST
def registration_approve(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    try:
        services.approve_registration(actor=request.user, organisation=organisation)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("%(name)s was approved and may now sign in.") % {"name": organisation.name})
    return redirect("organisations:registrations")


@roles(*MANAGERS)
def registration_refuse(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).units().pending(), pk=pk)
    form = RefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_registration(
                actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The registration of %(name)s was refused.") % {"name": organisation.name})
            return redirect("organisations:registrations")
    return render(request, "organisations/registration_refuse.html", {"form": form, "organisation": organisation})
