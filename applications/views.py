from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import selectors, services
from applications.forms import ApplicationFilterForm, IndicatorForm, RecommendationForm, ReviewForm, SubmitForm
from applications.models import Application, ApplicationIndicator, Decision, State
from applications.workflow import allowed_transitions
from campaigns.scoring import parse_score
from campaigns.selectors import current_campaign
from core.access import roles
from core.forms import add_service_errors, report_error, row_saved_response
from core.pagination import paginate
from core.roles import PROVINCE_ROLES, Role
from designations.models import Designation
from inspections.selectors import binding_inspection, coming_visit

READERS = (*PROVINCE_ROLES, Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR)


@roles(Role.UNIT)
def my_application(request):
    """The unit's application in the running campaign, or the way to start one."""
    campaign = current_campaign()
    application = None
    if campaign is not None:
        application = Application.objects.visible_to(request.user).filter(campaign=campaign).open().first()
    if application is not None:
        return redirect("applications:assessment", pk=application.pk)
    history = Application.objects.visible_to(request.user).select_related("campaign").order_by("-created_at")
    return render(request, "applications/start.html", {"campaign": campaign, "history": history[:20]})


@roles(Role.UNIT)
@require_POST
def start(request):
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    try:
        application = services.start_application(actor=request.user, unit=request.user.organisation, campaign=campaign)
    except ValidationError as error:
        report_error(request, error)
        return redirect("applications:mine")
    return redirect("applications:assessment", pk=application.pk)


def _assessment_context(request, application, *, forms=None):
    # Read once, for the rows here and for services.evaluation_of() below.
    prefetch_related_objects(
        [application],
        Prefetch(
            "indicators",
            queryset=ApplicationIndicator.objects.select_related("indicator__category").order_by(
                "indicator__category__order", "indicator__order"
            ),
        ),
    )
    rows = list(application.indicators.all())
    forms = forms or {}
    review = selectors.latest_review(application) if application.state == State.RETURNED else None
    notes = {note.indicator_id: note.note for note in review.notes.all()} if review else {}
    sections, current = [], None
    for row in rows:
        if current is None or current["category"].pk != row.indicator.category_id:
            current = {"category": row.indicator.category, "rows": []}
            sections.append(current)
        row.form = forms.get(row.indicator_id) or IndicatorForm(
            initial={"score": "" if row.score is None else row.score.normalize(), "account": row.account},
            prefix=f"i{row.indicator_id}",
            edit_token=services.indicator_token(row),
        )
        row.review_note = notes.get(row.indicator_id, "")
        current["rows"].append(row)
    evaluation = services.evaluation_of(application)
    return {
        "application": application,
        "sections": sections,
        "evaluation": evaluation,
        "review": review,
        "editable": application.is_editable and request.user.role == Role.UNIT,
        "problems": services.submission_problems(application) if application.is_editable else [],
        "submit_form": SubmitForm(),
    }


def _scoped(request, pk, queryset=None):
    queryset = queryset if queryset is not None else Application.objects.visible_to(request.user)
    return get_object_or_404(queryset.select_related("unit__parent", "campaign", "version"), pk=pk)


@roles(Role.UNIT)
def assessment(request, pk):
    """The self-assessment (自查): every indicator with the unit's score, account and
    evidence, the running totals, and the submission panel."""
    application = _scoped(request, pk)
    return render(request, "applications/assessment.html", _assessment_context(request, application))


@roles(Role.UNIT)
@require_POST
def save_indicator(request, pk, indicator_pk):
    """Autosave of one indicator row (htmx) or its save button (no JavaScript)."""
    application = _scoped(request, pk)
    form = IndicatorForm(request.POST, prefix=f"i{indicator_pk}", edit_token="")
    saved = False
    if form.is_valid():
        try:
            row = services.save_indicator(
                actor=request.user,
                application=application,
                indicator_id=indicator_pk,
                score=parse_score(form.cleaned_data["score"]),
                account=form.cleaned_data["account"],
                edit_token=form.cleaned_data["edit_token"],
            )
            saved = True
            form.set_edit_token(services.indicator_token(row))
        except ValidationError as error:
            add_service_errors(form, error)
    # Only the row's status and the totals change: the inputs keep focus and caret.
    return row_saved_response(
        request,
        form=form,
        saved=saved,
        partial="applications/assessment.html#save-state",
        context={"oob_totals": True, "evaluation": services.evaluation_of(application)},
        row_url=f"{reverse('applications:assessment', kwargs={'pk': pk})}#indicator-{indicator_pk}",
        render_page=lambda: render(
            request,
            "applications/assessment.html",
            _assessment_context(request, application, forms={indicator_pk: form}),
            status=422,
        ),
    )


@roles(Role.UNIT)
@require_POST
def submit(request, pk):
    application = _scoped(request, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        services.submit_application(
            actor=request.user,
            application=application,
            confirm_below_threshold=form.cleaned_data.get("confirm_below_threshold", False),
        )
    except ValidationError as error:
        context = _assessment_context(request, application)
        context["submit_errors"] = error.messages
        context["needs_confirmation"] = getattr(error, "code", "") == "below_threshold"
        return render(request, "applications/assessment.html", context, status=422)
    messages.success(request, _("Your application was submitted. The provincial office registers it."))
    return redirect("applications:detail", pk=application.pk)


@roles(Role.UNIT)
@require_POST
def withdraw(request, pk):
    application = _scoped(request, pk)
    try:
        services.withdraw_application(actor=request.user, application=application)
    except ValidationError as error:
        report_error(request, error)
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("The application was withdrawn: it is a draft again."))
    return redirect("applications:assessment", pk=pk)


@roles(*READERS)
def detail(request, pk):
    """An application as its reader may see it: state, number, timeline, submitted rounds,
    reviews, recommendations, and the actions the reader may take now."""
    application = _scoped(request, pk)
    snapshots = list(application.snapshots.all())
    reviews = list(application.reviews.select_related("reviewer").prefetch_related("notes__indicator__category"))
    actions = {t.name for t in allowed_transitions(request.user, application)}
    reads_inspections = request.user.role in (*PROVINCE_ROLES, Role.INSPECTOR)
    inspection = binding_inspection(application) if reads_inspections else None
    can_recommend = (
        request.user.role == Role.ASSOCIATION
        and application.campaign.recommendations_enabled
        and application.state != State.DRAFT
    )
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "snapshots": snapshots,
            "latest": snapshots[-1] if snapshots else None,
            "reviews": reviews,
            "timeline": selectors.timeline(application).select_related("actor"),
            "actions": actions,
            "recommendations": application.recommendations.select_related("association", "author"),
            "recommendation_form": RecommendationForm() if can_recommend else None,
            "inspection": inspection,
            # The unit and its association read the coming visit here (they never open the inspection).
            "visit": coming_visit(application) if request.user.role in (Role.UNIT, Role.ASSOCIATION) else None,
            "designation": Designation.objects.visible_to(request.user).filter(application=application).first(),
            "can_plan_inspection": inspection is None
            and request.user.role in PROVINCE_ROLES
            and application.state == State.AWAITING_INSPECTION,
        },
    )


@roles(*READERS)
def snapshot(request, pk, round):
    application = _scoped(request, pk)
    frozen = get_object_or_404(application.snapshots, round=round)
    return render(request, "applications/snapshot.html", {"application": application, "snapshot": frozen})


def _filter_form(request, **kwargs) -> ApplicationFilterForm:
    form = ApplicationFilterForm(request.GET or None, areas=selectors.areas_for(request.user), **kwargs)
    # The filter template loops over the choices: a list read in one plain query, where
    # the model choice iterator would COUNT the areas first and then read them through a
    # server-side cursor (three more round trips). Validation still asks the queryset.
    field = form.fields["area"]
    field.choices = [("", field.empty_label), *((area.pk, field.label_from_instance(area)) for area in field.queryset)]
    return form


@roles(*PROVINCE_ROLES)
def inbox(request):
    """The provincial office's inbox: submitted and registered applications, oldest first,
    flagged when they wait longer than the campaign's limit in Chinese working days."""
    form = _filter_form(request, states=[State.SUBMITTED, State.REGISTERED])
    queryset = selectors.applications_for(request.user).in_inbox()
    queryset = selectors.filter_applications(queryset, form).order_by("submitted_at", "pk")
    page = selectors.with_waiting(paginate(request, queryset))
    return render(request, "applications/inbox.html", {"page_obj": page, "filter_form": form})


@roles(*PROVINCE_ROLES, Role.ASSOCIATION)
def application_list(request):
    """Every submitted application in the reader's scope, read only for associations."""
    form = _filter_form(request)
    queryset = selectors.filter_applications(selectors.applications_for(request.user), form)
    page = selectors.with_waiting(paginate(request, queryset.order_by("-submitted_at", "-pk")))
    return render(request, "applications/list.html", {"page_obj": page, "filter_form": form})


@roles(*PROVINCE_ROLES)
@require_POST
def register(request, pk):
    application = _scoped(request, pk)
    try:
        registered = services.register_application(actor=request.user, application=application)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(
            request,
            _("Registered under number %(number)s.") % {"number": registered.registration_code},
        )
    return redirect("applications:detail", pk=pk)


@roles(*PROVINCE_ROLES)
def review(request, pk):
    """Preliminary review (初步审核) of the latest submitted round, indicator by indicator."""
    application = _scoped(request, pk)
    if application.state != State.REGISTERED:
        messages.error(request, _("Only a registered application can be reviewed."))
        return redirect("applications:detail", pk=pk)
    latest = application.snapshots.order_by("-round").first()
    if latest is None:
        # Submission always freezes a round; data loaded around the workflow may lack it.
        messages.error(request, _("This application has no submitted content to review."))
        return redirect("applications:detail", pk=pk)
    form = ReviewForm(request.POST or None)
    notes = {}
    if request.method == "POST":
        notes = {item["id"]: request.POST.get(f"note-{item['id']}", "")[:2000] for item in latest.data["indicators"]}
    if request.method == "POST" and form.is_valid():
        try:
            services.review_application(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                notes=notes,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "snapshot": latest,
            "form": form,
            "notes": notes,
            "decisions": Decision,
            "changes": selectors.round_changes(application, latest),
        },
        status=422 if request.method == "POST" else 200,
    )


@roles(Role.ASSOCIATION)
@require_POST
def recommend(request, pk):
    application = _scoped(request, pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommend_application(actor=request.user, application=application, text=form.cleaned_data["text"])
        except ValidationError as error:
            report_error(request, error)
        else:
            messages.success(request, _("Your recommendation was saved."))
    else:
        messages.error(request, _("Write the recommendation."))
    return redirect("applications:detail", pk=pk)
