from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions, services
from accounts.forms import LoginForm, NewUserForm, UnitRegistrationForm, UserFilterForm, UserForm
from accounts.models import User
from accounts.roles import PROVINCE_ROLES, Role
from audit.services import record_event
from core.access import public, roles, signed_in
from core.forms import add_service_errors
from core.pagination import paginate
from organisations.models import Organisation

USER_MANAGERS = (*PROVINCE_ROLES, Role.ASSOCIATION, Role.SYSTEM_ADMIN)

login = public(auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm))
logout = public(auth_views.LogoutView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record_event(actor=self.request.user, action="user.password_change", obj=self.request.user)
        return response


password_change = signed_in(PasswordChangeView.as_view())
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


@public
def register(request):
    """A grassroots unit registers itself and waits for its association's approval."""
    form = UnitRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_unit(
                unit_name=data["unit_name"],
                association=data["association"],
                sector=data["sector"],
                address=data["address"],
                region_code=data["region_code"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                username=data["username"],
                email=data["email"],
                password=data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form})


@public
def register_done(request):
    return render(request, "accounts/register_done.html")


@roles(*USER_MANAGERS)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = User.objects.visible_to(request.user).select_related("organisation")
    # An invalid filter (a stray NUL byte, an unknown role) lists without that filter.
    if form.is_valid():
        query, role, status = (form.cleaned_data[name] for name in ("q", "role", "status"))
        if query:
            users = users.filter(
                Q(username__icontains=query) | Q(display_name__icontains=query) | Q(organisation__name__icontains=query)
            )
        if role:
            users = users.filter(role=role)
        if status:
            users = users.filter(is_active=status == "active")
    page = paginate(request, users.order_by("username"))
    return render(request, "accounts/user_list.html", {"page_obj": page, "filter_form": form})


@roles(*USER_MANAGERS)
def user_detail(request, pk):
    account = get_object_or_404(User.objects.visible_to(request.user).select_related("organisation"), pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"account": account, "can_manage": permissions.can_manage_user(request.user, account)},
    )


@roles(*USER_MANAGERS)
def user_create(request, organisation_pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=organisation_pk)
    if not permissions.can_add_account(request.user, organisation):
        raise PermissionDenied
    form = NewUserForm(request.POST or None, actor=request.user, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                organisation=organisation,
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account %(name)s was created.") % {"name": account.username})
            return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "organisation": organisation})


@roles(*USER_MANAGERS)
def user_edit(request, pk):
    account = get_object_or_404(User.objects.visible_to(request.user).select_related("organisation"), pk=pk)
    if not permissions.can_manage_user(request.user, account):
        raise PermissionDenied
    form = UserForm(request.POST or None, instance=account, actor=request.user, organisation=account.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(
                actor=request.user,
                user=User.objects.get(pk=account.pk),
                role=data["role"],
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:user-detail", pk=account.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "organisation": account.organisation, "account": account}
    )


@roles(*USER_MANAGERS)
@require_POST
def user_set_active(request, pk):
    account = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not permissions.can_manage_user(request.user, account):
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    services.set_user_active(actor=request.user, user=account, active=active)
    messages.success(request, _("The account was enabled.") if active else _("The account was disabled."))
    return redirect("accounts:user-detail", pk=account.pk)
