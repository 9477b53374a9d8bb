from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import public, roles
from core.pagination import paginate
from core.roles import Role
from security import captcha as captcha_challenge
from security import limits, selectors, services
from security.forms import LockFilterForm, SessionFilterForm


@public
@require_GET
@never_cache
def captcha(request):
    """A new picture for the sign-in form; the one before it no longer answers."""
    answer = captcha_challenge.new_challenge(request.session)
    return HttpResponse(captcha_challenge.draw(answer), content_type="image/png")


def _filter_values(form, names):
    # An invalid filter (a stray NUL byte, an unknown kind) lists without that filter.
    if form.is_valid():
        return {name: form.cleaned_data[name] for name in names}
    return dict.fromkeys(names, "")


@roles(Role.SECURITY_ADMIN)
@never_cache
def lock_list(request):
    form = LockFilterForm(request.GET or None)
    values = _filter_values(form, ("q", "kind"))
    page = paginate(request, selectors.current_locks(query=values["q"], kind=values["kind"]))
    return render(
        request,
        "security/lock_list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "lock_failures": settings.LOGIN_LOCK_FAILURES,
            "lock_minutes": settings.LOGIN_LOCK_MINUTES,
            "account_failures_per_hour": settings.LOGIN_ACCOUNT_FAILURES_PER_HOUR,
            "address_lock_failures": settings.LOGIN_ADDRESS_LOCK_FAILURES,
        },
    )


@roles(Role.SECURITY_ADMIN)
def lock_unlock(request, pk):
    """GET asks to confirm; POST lifts the lock."""
    lock = get_object_or_404(selectors.current_locks(), pk=pk)
    if request.method == "POST":
        limits.unlock(actor=request.user, throttle=lock)
        messages.success(request, _("%(key)s is unlocked and may sign in again.") % {"key": lock.key})
        return redirect("security:lock-list")
    return render(request, "security/lock_unlock.html", {"lock": lock})


@roles(Role.SECURITY_ADMIN)
@never_cache  # names and addresses of people: kept by no browser or proxy
def session_list(request):
    form = SessionFilterForm(request.GET or None)
    values = _filter_values(form, ("q",))
    page = paginate(request, selectors.signed_in_sessions(query=values["q"]))
    return render(
        request,
        "security/session_list.html",
        {"page_obj": page, "filter_form": form, "own_session_key": request.session.session_key},
    )


@roles(Role.SECURITY_ADMIN)
def session_end(request, pk):
    """GET asks to confirm; POST ends the session at once."""
    user_session = get_object_or_404(selectors.signed_in_sessions(), pk=pk)
    if request.method == "POST":
        own = user_session.session_key == request.session.session_key
        services.end_session(actor=request.user, user_session=user_session)
        if own:
            # The store no longer has this session: start an anonymous one, not save into a gone row.
            logout(request)
            return redirect("accounts:login")
        messages.success(request, _("The session of %(user)s has ended.") % {"user": user_session.user.get_username()})
        return redirect("security:session-list")
    return render(request, "security/session_end.html", {"user_session": user_session})
