from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from applications.models import Application, State
from audit.models import AuditRecord
from organisations.models import Kind, Organisation, subtree_q
from workdays.calendar import is_workday, working_days_between


def areas_for(user):
    """The cities, systems and departments a user may filter by: those in its scope."""
    return (
        Organisation.objects.visible_to(user)
        .filter(kind__in=[Kind.CITY, Kind.SYSTEM, Kind.DEPARTMENT])
        .order_by("kind", "name")
    )


def applications_for(user):
    """The applications `user` may see, with what their list rows show."""
    return Application.objects.visible_to(user).select_related("unit", "unit__parent", "campaign")


def filter_applications(queryset, form, *, today: date | None = None):
    """Apply a valid ApplicationFilterForm; an invalid one (bad area, NUL byte) filters nothing."""
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if data["q"]:
        queryset = queryset.filter(unit__name__icontains=data["q"])
    if data["area"]:
        queryset = queryset.filter(subtree_q(data["area"].path, prefix="unit__"))
    if data["sector"]:
        queryset = queryset.filter(unit__sector=data["sector"])
    if data["state"]:
        queryset = queryset.filter(state=data["state"])
    if data["waiting"] == "over":
        queryset = over_limit(queryset, today=today or timezone.localdate())
    return queryset


def working_day_cutoff(today: date, days: int) -> date:
    """The date d such that an application submitted before d has waited more than `days`
    working days by `today` (counting as working_days_between does: after the submission
    day, up to and including today). It is the (days+1)-th working day back from today."""
    day, counted = today, 0
    while True:
        if is_workday(day):
            counted += 1
            if counted == days + 1:
                return day
        day -= timedelta(days=1)


def over_limit(queryset, *, today: date):
    """Applications waiting longer than their campaign's limit: one condition per limit in
    use (campaigns share the default of 15) on the indexed submission time, with the
    campaigns named by key so the count needs no join."""
    from campaigns.models import Campaign

    by_limit: dict[int, list[int]] = {}
    for pk, limit in Campaign.objects.values_list("pk", "review_limit_days"):
        by_limit.setdefault(limit, []).append(pk)
    condition = Q(pk__in=[])
    for limit, campaign_ids in by_limit.items():
        cutoff = working_day_cutoff(today, limit)
        start_of_cutoff = timezone.make_aware(datetime.combine(cutoff, time.min))
        condition |= Q(campaign_id__in=campaign_ids, submitted_at__lt=start_of_cutoff)
    return queryset.filter(condition)


def with_waiting(page, *, today: date | None = None):
    """Give each application of a page `waiting_days` (working days since its last
    submission) and `overdue` (beyond its campaign's limit while it waits for the office),
    and the page `waiting_since`, the earliest submission day counted (None: none)."""
    today = today or timezone.localdate()
    page.waiting_since = None  # the earliest day counted from: the page says how its years are counted
    for application in page:
        if application.submitted_at is None:
            application.waiting_days, application.overdue = None, False
            continue
        submitted = timezone.localdate(application.submitted_at)
        page.waiting_since = min(submitted, page.waiting_since or submitted)
        application.waiting_days = working_days_between(submitted, today)
        application.overdue = (
            application.state in {State.SUBMITTED, State.REGISTERED}
            and application.waiting_days > application.campaign.review_limit_days
        )
    return page


def timeline(application: Application):
    """Every recorded step of `application`, oldest first: who, when, from, to, reason."""
    return AuditRecord.objects.filter(object_type="applications.application", object_id=str(application.pk)).order_by(
        "at", "pk"
    )


def latest_review(application: Application):
    return application.reviews.prefetch_related("notes").order_by("-round", "-created_at").first()
