"""Privileged account changes (特权账号变更审批, accounts.grants): the list of requests, and
the second administrator's approval or rejection."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import grants
from accounts.models import RoleGrant
from core.access import roles
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.roles import IT_ROLES, PRIVILEGED_ROLES

# Who asks (the managers of privileged accounts) and who decides (the three administrators).
GRANT_USERS = tuple(PRIVILEGED_ROLES)


class GrantFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=100, help_text=gettext_lazy("User name or name")
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *RoleGrant.Status.choices],
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why the change is rejected.")},
    )


@roles(*GRANT_USERS)
def grant_list(request):
    form = GrantFilterForm(request.GET or None)
    requests = RoleGrant.objects.visible_to(request.user).select_related(
        "user__organisation", "requested_by", "decided_by"
    )
    if form.is_valid():
        if form.cleaned_data["q"]:
            query = form.cleaned_data["q"]
            requests = requests.filter(Q(user__username__icontains=query) | Q(user__display_name__icontains=query))
        if form.cleaned_data["status"]:
            requests = requests.filter(status=form.cleaned_data["status"])
    page = paginate(request, requests)
    decidable = set(grants.decidable_by(request.user).filter(pk__in=[g.pk for g in page]).values_list("pk", flat=True))
    return render(
        request,
        "accounts/grant_list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "decidable": decidable,
            "reject_form": RejectForm(),
            "is_decider": request.user.role in IT_ROLES,
        },
    )


def _grant_for(request, pk) -> RoleGrant:
    grant = get_object_or_404(RoleGrant.objects.visible_to(request.user).select_related("user", "requested_by"), pk=pk)
    if not grants.can_decide(request.user, grant):
        raise PermissionDenied
    return grant


@roles(*IT_ROLES)
@require_POST
@never_cache
def grant_approve(request, pk):
    """Approve; an approved password reset shows the new password here, once."""
    grant = _grant_for(request, pk)
    try:
        password = grants.approve(actor=request.user, grant=grant)
    except ValidationError as error:
        report_error(request, error)
        return redirect("accounts:grant-list")
    if password:
        return render(request, "accounts/grant_password.html", {"grant": grant, "password": password})
    messages.success(request, _("Approved: the change of %(name)s has taken effect.") % {"name": grant.user})
    return redirect("accounts:grant-list")


@roles(*IT_ROLES)
@require_POST
def grant_reject(request, pk):
    grant = _grant_for(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            grants.reject(actor=request.user, grant=grant, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rejected: the account %(name)s stays as it was.") % {"name": grant.user})
            return redirect("accounts:grant-list")
    return render(request, "accounts/grant_reject.html", {"grant": grant, "form": form}, status=400)
