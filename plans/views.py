from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from campaigns.selectors import current_campaign
from core.access import roles
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.roles import PROVINCE_ROLES, Role
from organisations.models import Organisation
from plans import permissions, selectors, services
from plans.forms import CommentForm, PlanFilterForm, PlanForm, StepEditForm, StepForm, StepProgressForm
from plans.models import Plan

FOLLOWERS = (*PROVINCE_ROLES, Role.ASSOCIATION)
DETAIL = "plans/plan_detail.html"


def _plan_or_404(user, pk) -> Plan:
    try:
        return selectors.plan_for_page(user, pk)
    except Plan.DoesNotExist as error:
        raise Http404 from error


def _step_or_404(user, pk):
    return get_object_or_404(selectors.steps_visible_to(user).select_related("plan__campaign", "plan__unit"), pk=pk)


def _editable_plan(user, pk) -> Plan:
    """The plan `pk` for a write by its unit: 404 outside the user's scope, 403 once the
    plan may no longer be changed (the campaign is over)."""
    plan = _plan_or_404(user, pk)
    if not permissions.can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def _detail_context(request, plan, *, step_form=None, progress_form=None, comment_form=None) -> dict:
    """Everything the plan page and its fragments show. A bound form given here (one that
    failed) takes the place of the blank one, so its errors appear next to its fields."""
    today = timezone.localdate()
    steps = selectors.steps_of(plan)
    can_edit = permissions.can_edit_plan(request.user, plan)
    can_comment = permissions.can_comment(request.user, plan)
    for index, step in enumerate(steps):
        step.overdue = step.is_overdue_on(today)
        step.is_first, step.is_last = index == 0, index == len(steps) - 1
        if can_edit:
            bound = progress_form is not None and progress_form.prefix == f"step-{step.pk}"
            step.progress_form = progress_form if bound else StepProgressForm.for_step(step)
    return {
        "plan": plan,
        "steps": steps,
        "progress": selectors.progress_of(steps, today),
        "comments": selectors.comments_of(plan),
        "can_edit": can_edit,
        "can_comment": can_comment,
        "is_own_plan": request.user.role == Role.UNIT,
        "step_form": step_form or (StepForm() if can_edit else None),
        "comment_form": comment_form or (CommentForm() if can_comment else None),
    }


def _steps_fragment_or_page(request, plan, **forms):
    """After a change to the steps: the steps section for htmx, the plan page otherwise."""
    if request.htmx:
        return render(request, f"{DETAIL}#steps", _detail_context(request, plan, **forms))
    return redirect(f"{reverse('plans:detail', kwargs={'pk': plan.pk})}#plan-steps")


@roles(Role.UNIT)
def my_plan(request):
    """The unit's plan for the current campaign; where there is none yet, the page that
    says what to do and lets the unit start it."""
    campaign = current_campaign()
    unit = request.user.organisation
    plan = selectors.plan_of(unit, campaign) if campaign else None
    if plan is not None:
        return redirect("plans:detail", pk=plan.pk)
    can_create = campaign is not None and permissions.can_create_plan(request.user, unit=unit, campaign=campaign)
    form = PlanForm(request.POST or None) if can_create else None
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = services.create_plan(actor=request.user, unit=unit, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your plan was created. Now add its steps, each with a deadline."))
                return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_start.html", {"campaign": campaign, "form": form, "unit": unit})


@roles(*FOLLOWERS)
def plan_list(request):
    """The plans of the viewer's area for one campaign (the current one unless chosen),
    with how far each is and how many steps are overdue."""
    user = request.user
    associations = (
        Organisation.objects.visible_to(user)
        .associations()
        .active()
        .exclude(pk=user.organisation_id)
        .select_related("parent")
        .order_by("path")
    )
    form = PlanFilterForm(
        request.GET or None,
        campaigns=Campaign.objects.visible_to(user).public().order_by("-start_date", "-pk"),
        associations=associations,
    )
    campaign = form.chosen_campaign() or current_campaign()
    filters = selectors.PlanFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PlanFilters(
            query=data["q"].strip(),
            association=form.chosen_association(),
            sector=data["sector"],
            overdue=data["overdue"],
        )
    today = timezone.localdate()
    plans = (
        selectors.plans_for_list(user, campaign=campaign, today=today, filters=filters)
        if campaign
        else Plan.objects.none()
    )
    return render(
        request,
        "plans/plan_list.html",
        {"page_obj": paginate(request, plans), "filter_form": form, "campaign": campaign},
    )


@roles(*FOLLOWERS, Role.UNIT)
def plan_detail(request, pk):
    plan = _plan_or_404(request.user, pk)
    return render(request, DETAIL, _detail_context(request, plan))


@roles(Role.UNIT)
def plan_edit(request, pk):
    plan = _editable_plan(request.user, pk)
    form = PlanForm(request.POST or None, instance=Plan.objects.get(pk=plan.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@roles(Role.UNIT)
def step_create(request, pk):
    """Add a step. The plan page posts here with htmx and gets its steps section back
    (with the errors in the form when the step was refused); without JavaScript the
    page reloads, or this page shows the form with its errors."""
    plan = _editable_plan(request.user, pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_step(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _steps_fragment_or_page(request, plan)
    if request.method == "POST" and request.htmx:
        return render(request, f"{DETAIL}#steps", _detail_context(request, plan, step_form=form))
    return render(request, "plans/step_form.html", {"form": form, "plan": plan})


@roles(Role.UNIT)
def step_update(request, pk):
    """Edit every field of a step on a page of its own."""
    step = _step_or_404(request.user, pk)
    plan = step.plan
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    form = StepEditForm(request.POST or None, instance=selectors.steps_visible_to(request.user).get(pk=step.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_step(actor=request.user, step=step, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step was saved."))
            return redirect(f"{reverse('plans:detail', kwargs={'pk': plan.pk})}#step-{step.pk}")
    return render(request, "plans/step_form.html", {"form": form, "plan": plan, "step": step})


@roles(Role.UNIT)
@require_POST
def step_progress(request, pk):
    """The inline form of a step's row: status and progress note. htmx gets the row back
    (and the plan's progress summary out of band); without JavaScript the page reloads."""
    step = _step_or_404(request.user, pk)
    plan = step.plan
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    form = StepProgressForm.for_step(step, request.POST)
    if form.is_valid():
        try:
            services.set_step_status(
                actor=request.user,
                step=step,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                edit_token=form.cleaned_data.get("edit_token"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.is_valid() and not request.htmx:
        messages.success(request, _("The step was saved."))
        return redirect(f"{reverse('plans:detail', kwargs={'pk': plan.pk})}#step-{step.pk}")
    context = _detail_context(request, plan, progress_form=None if form.is_valid() else form)
    if not request.htmx:
        return render(request, DETAIL, context)
    row = next(s for s in context["steps"] if s.pk == step.pk)
    # The row swaps in place; the summary above the table follows out of band.
    html = render_to_string(f"{DETAIL}#step-row", {**context, "step": row, "saved": form.is_valid()}, request)
    html += render_to_string(f"{DETAIL}#summary", {**context, "oob": True}, request)
    return HttpResponse(html)


@roles(Role.UNIT)
@require_POST
def step_delete(request, pk):
    step = _step_or_404(request.user, pk)
    plan = step.plan
    services.remove_step(actor=request.user, step=step)
    if not request.htmx:
        messages.success(request, _("The step “%(title)s” was removed.") % {"title": step.title})
    return _steps_fragment_or_page(request, plan)


@roles(Role.UNIT)
@require_POST
def step_move(request, pk):
    step = _step_or_404(request.user, pk)
    try:
        services.move_step(actor=request.user, step=step, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        report_error(request, error)
    return _steps_fragment_or_page(request, step.plan)


@roles(*FOLLOWERS)
@require_POST
def comment_create(request, pk):
    """A comment of the association or the province. htmx gets the comments section
    back; without JavaScript the page reloads (or shows the form's error)."""
    plan = _plan_or_404(request.user, pk)
    if not permissions.can_comment(request.user, plan):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(actor=request.user, plan=plan, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return render(request, f"{DETAIL}#comments", _detail_context(request, plan))
            messages.success(request, _("Your comment was added. The unit sees it on its plan."))
            return redirect(f"{reverse('plans:detail', kwargs={'pk': plan.pk})}#plan-comments")
    context = _detail_context(request, plan, comment_form=form)
    if request.htmx:
        return render(request, f"{DETAIL}#comments", context)
    return render(request, DETAIL, context)
