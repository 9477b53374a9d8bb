from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.access import roles, signed_in
from core.forms import add_service_errors
from core.pagination import paginate
from core.roles import Role
from security import limits
from twofactor import selectors, services
from twofactor.forms import CodeForm, ResetForm, SecondFactorFilterForm, VerifyForm
from twofactor.models import TOTPDevice


def _next_url(request) -> str:
    """Where to go once the second factor is done: the page asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path of ours: redirect() would take any other word for a view name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _recovery_codes_page(request, *, codes, title):
    text = "\n".join([str(settings.PLATFORM_TITLE), request.user.get_username(), "", *codes, ""])
    return render(
        request,
        "twofactor/recovery_codes.html",
        {
            "codes": codes,
            "title": title,
            "next_url": _next_url(request),
            # A data: address: the plain codes never go back to the server, nor into the session.
            "download_href": "data:text/plain;charset=utf-8," + quote(text),
        },
    )


# The enrolment form's button that starts an enrolment (makes the device and its secret).
START = "start"


@never_cache
@signed_in
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Turn on the second factor: start (a POST that makes the secret), scan the QR code
    (or type the secret), confirm with a first code, then keep the recovery codes shown
    once. A GET only shows: the enrolment already started, or the button that starts
    it; it writes nothing (a link or an <img> from another site makes no device)."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("twofactor:manage")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and START in request.POST:
        try:
            services.start_enrolment(user=request.user)
        except ValidationError:
            return redirect("twofactor:manage")
        target = reverse("twofactor:enrol")
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    context = {
        "required": services.is_required(request.user) or (device is not None and device.enrolment_required),
        "next_url": next_url,
        "started": device is not None,
    }
    if device is None:
        # Nothing started yet (or a POST of a code after the enrolment was reset): the button.
        return render(request, "twofactor/enrol.html", context)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(request=request, user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _recovery_codes_page(request, codes=codes, title=_("Two-factor sign-in is on"))
    qr = segno.make(services.provisioning_uri(device), error="m")
    return render(
        request,
        "twofactor/enrol.html",
        context
        | {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "secret": services.grouped_secret(device.secret),
        },
    )


@never_cache
@signed_in
def verify(request):
    """The second step of signing in, after the password."""
    if services.is_verified(request) or services.pending_step(request.user) != services.VERIFY:
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = services.verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            if getattr(error, "code", None) == "signed_out":
                messages.error(request, error.message)
                return redirect(settings.LOGIN_URL)
            add_service_errors(form, error)
        else:
            if method == "recovery":
                left = services.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)s are left. Make new ones under Two-factor sign-in.")
                    % {"left": left},
                )
            response = redirect(_next_url(request))
            limits.sign_in_completed(request=request, response=response, user=request.user)
            return response
    return render(
        request,
        "twofactor/verify.html",
        {"form": form, "next_url": request.POST.get("next") or request.GET.get("next") or ""},
    )


@never_cache
@signed_in
def manage(request):
    """Each user's own page: whether the second factor is on, and what to do with it."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    return render(
        request,
        "twofactor/manage.html",
        {
            "device": device,
            "codes_left": selectors.recovery_code_count(request.user) if device else 0,
            "required": services.is_required(request.user),
            "can_disable": services.can_disable(request.user),
        },
    )


@never_cache
@signed_in
def regenerate_codes(request):
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("twofactor:manage")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.regenerate_recovery_codes(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _recovery_codes_page(request, codes=codes, title=_("New recovery codes"))
    return render(
        request,
        "twofactor/confirm_code.html",
        {"form": form, "action": "regenerate", "title": _("Make new recovery codes")},
    )


@never_cache
@signed_in
def disable(request):
    if not services.can_disable(request.user):
        messages.error(request, _("Your role must sign in with a second factor: it cannot be turned off."))
        return redirect("twofactor:manage")
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("twofactor:manage")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disable(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("twofactor:manage")
    return render(
        request,
        "twofactor/confirm_code.html",
        {"form": form, "action": "disable", "title": _("Turn off two-factor sign-in")},
    )


@roles(Role.SECURITY_ADMIN)
def user_list(request):
    """Every account with the state of its second factor, for resetting a lost one."""
    form = SecondFactorFilterForm(request.GET or None)
    # An invalid filter (a stray NUL byte, an unknown role) lists without filters.
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.users_with_second_factor(
        actor=request.user,
        query=filters.get("q", ""),
        role=filters.get("role", ""),
        status=filters.get("status", ""),
    )
    return render(request, "twofactor/user_list.html", {"page_obj": paginate(request, users), "filter_form": form})


@never_cache
@roles(Role.SECURITY_ADMIN)
def user_reset(request, pk):
    target = get_object_or_404(selectors.users_with_second_factor(actor=request.user), pk=pk)
    if not services.can_reset(request.user, target):
        raise PermissionDenied
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset(actor=request.user, target=target, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The second factor of %(user)s was reset: it must enrol again at its next sign-in.") % {"user": target},
        )
        return redirect("twofactor:user-list")
    return render(request, "twofactor/user_reset.html", {"form": form, "account": target})
