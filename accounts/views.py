import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import grants, permissions, registration, services
from accounts.forms import LoginForm, NewUserForm, OwnPasswordChangeForm, UnitRegistrationForm, UserFilterForm, UserForm
from accounts.models import User
from core import ratelimit
from core.access import public, roles, signed_in
from core.forms import add_service_errors, report_error
from core.middleware import client_ip
from core.pagination import paginate
from core.roles import PROVINCE_ROLES, Role
from organisations.models import Organisation
from security import devices, limits
from security.selectors import EXPIRED, FIRST_SIGN_IN, password_change_reason
from twofactor import services as second_factor

USER_MANAGERS = (*PROVINCE_ROLES, Role.ASSOCIATION, Role.SYSTEM_ADMIN)

# Sign-in POSTs per client address; beyond it the page answers 429 (the per-account and
# per-address locks of security.services stop guessing; this stops flooding).
SIGN_IN_POSTS = 30
SIGN_IN_WINDOW_SECONDS = 5 * 60
PASSWORD_RESETS_PER_HOUR = 20
REGISTRATION_WINDOW_SECONDS = 60 * 60
_WAITS_FOR_APPROVAL = gettext_lazy(
    "The change of %(name)s takes effect when a second administrator (system, security or audit administrator, "
    "of another role than yours) approves it under Privileged account changes."
)
# Why a session ended, told on the sign-in page (security.middleware sets ?reason=).
SESSION_END_REASONS = {
    "idle": gettext_lazy("You were signed out after %(minutes)s minutes without activity. Sign in again."),
    "expired": gettext_lazy("Your session reached its limit of %(hours)s hours. Sign in again."),
}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        # A browser its owner signed in with before has its own allowance: flooding from the
        # owner's address (a shared office) must not keep the owner out.
        device = devices.device_for(request, str(request.POST.get("username", "")).replace("\x00", "")[:150])
        key = f"device:{device}" if device else client_ip(request)
        if not ratelimit.hit("sign-in", key, limit=SIGN_IN_POSTS, window_seconds=SIGN_IN_WINDOW_SECONDS):
            return render(request, "accounts/too_many_sign_ins.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        # With an authenticator app the sign-in completes at its code (twofactor.views.verify).
        if second_factor.pending_step(user) != second_factor.VERIFY:
            limits.sign_in_completed(request=self.request, response=response, user=user)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reason = SESSION_END_REASONS.get(self.request.GET.get("reason", ""))
        if reason is not None and not self.request.user.is_authenticated:
            context["session_end_reason"] = reason % {
                "minutes": settings.SESSION_IDLE_SECONDS // 60,
                "hours": settings.SESSION_COOKIE_AGE // 3600,
            }
        # A new address for every drawing, so that no cache shows an old picture.
        context["captcha_nonce"] = secrets.token_hex(4)
        return context


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reason = password_change_reason(self.request.user)
        if reason == FIRST_SIGN_IN:
            context["change_reason"] = _(
                "Your password was set by someone else. Choose your own password before you go on."
            )
        elif reason == EXPIRED:
            context["change_reason"] = _(
                "Your password is older than %(days)s days. Choose a new password before you go on."
            ) % {"days": settings.PASSWORD_MAX_AGE_DAYS}
        return context

    def form_valid(self, form):
        user = services.change_password(user=form.user, password=form.cleaned_data["new_password1"])
        # The other sessions of this user end (their session hash no longer matches); this
        # one stays, re-signed with the new password's hash (the service saved another copy
        # of the user than form.user).
        update_session_auth_hash(self.request, user)
        return redirect(self.get_success_url())


password_change = signed_in(PasswordChangeView.as_view())
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


@public
def register(request):
    """A grassroots unit registers itself and waits for its association's approval.
    Anyone may: every POST counts against its client address's hourly allowance
    (settings.REGISTRATION_POSTS_PER_HOUR, 429 beyond), the form wants the characters of
    a picture before it checks anything else, and an address has only so many
    registrations awaiting approval at once (accounts.registration)."""
    address = client_ip(request)
    # A new address for every drawing, so that no cache shows an old picture.
    context = {"captcha_nonce": secrets.token_hex(4)}
    if request.method == "POST" and not ratelimit.hit(
        "register", address, limit=settings.REGISTRATION_POSTS_PER_HOUR, window_seconds=REGISTRATION_WINDOW_SECONDS
    ):
        # Nothing is checked; what was typed is shown again (passwords and characters
        # aside), to be sent later.
        context["form"] = UnitRegistrationForm(initial=request.POST.dict(), session=request.session)
        context["too_many"] = settings.REGISTRATION_POSTS_PER_HOUR
        response = render(request, "accounts/register.html", context, status=429)
        response["Retry-After"] = str(REGISTRATION_WINDOW_SECONDS)
        return response
    form = UnitRegistrationForm(request.POST or None, session=request.session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration.register_unit_from(
                client_address=address,
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
    return render(request, "accounts/register.html", {**context, "form": form})


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
        {
            "account": account,
            "can_manage": permissions.can_manage_user(request.user, account),
            "pending_grant": grants.pending_for(account),
        },
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
            if account.is_active:
                messages.success(request, _("The account %(name)s was created.") % {"name": account.username})
            else:
                messages.info(request, _WAITS_FOR_APPROVAL % {"name": account.username})
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
                edit_token=data.get("edit_token"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account was saved."))
            if grants.pending_for(account):
                messages.info(request, _WAITS_FOR_APPROVAL % {"name": account.username})
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
    try:
        account = services.set_user_active(actor=request.user, user=account, active=active)
    except ValidationError as error:
        report_error(request, error)
    else:
        if account.is_active != active:
            messages.info(request, _WAITS_FOR_APPROVAL % {"name": account.username})
        else:
            messages.success(request, _("The account was enabled.") if active else _("The account was disabled."))
    return redirect("accounts:user-detail", pk=account.pk)


@roles(*USER_MANAGERS)
@never_cache
def user_password_reset(request, pk):
    """GET asks to confirm; POST gives the account a new random password, shown here once
    (the page is never stored by a browser or proxy), which its owner must change at the
    next sign-in. A manager may reset PASSWORD_RESETS_PER_HOUR passwords an hour."""
    account = get_object_or_404(User.objects.visible_to(request.user).select_related("organisation"), pk=pk)
    if not permissions.can_manage_user(request.user, account):
        raise PermissionDenied
    context = {"account": account}
    if request.method == "POST":
        if not ratelimit.hit(
            "password-reset", str(request.user.pk), limit=PASSWORD_RESETS_PER_HOUR, window_seconds=60 * 60
        ):
            context["refused"] = _(
                "You have reset %(count)s passwords in the last hour, the most allowed. Try again later."
            ) % {"count": PASSWORD_RESETS_PER_HOUR}
            return render(request, "accounts/user_password_reset.html", context, status=429)
        try:
            context["password"] = services.reset_password(actor=request.user, user=account)
        except ValidationError as error:
            context["refused"] = " ".join(error.messages)
            return render(request, "accounts/user_password_reset.html", context, status=409)
        if context["password"] is None:
            messages.info(request, _WAITS_FOR_APPROVAL % {"name": account.username})
            return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "accounts/user_password_reset.html", context)
