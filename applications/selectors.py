from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from applications.models import Application, State
from audit.models import AuditRecord
from organisations.models import Organisation
from organisations.scoping import subtree_q
from workdays.calendar import is_workday, working_days_between


def areas_for(user):
    """The areas a user may filter by (organisations.models top_areas: cities, systems,
    departments and the counties the province governs), those in its scope, in the
    official order."""
    return Organisation.objects.visible_to(user).top_areas().in_official_order()


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


@dataclass
class IndicatorChange:
    """What a resubmitted round changed in one indicator since the round before, and what
    the reviewers said of it then."""

    score: tuple[str | None, str | None] | None = None  # (before, after) when it changed
    previous_account: str | None = None  # the text before, when it was rewritten
    added: list = field(default_factory=list)  # evidence items new in this round
    replaced: list = field(default_factory=list)  # (before, after) items of one material
    removed: list = field(default_factory=list)  # evidence items gone since
    note: str = ""  # the reviewers' note on it in the previous round

    @property
    def changed(self) -> bool:
        return bool(self.score or self.previous_account is not None or self.added or self.replaced or self.removed)


def round_changes(application: Application, latest) -> dict[int, IndicatorChange]:
    """Per indicator id, what snapshot `latest` changed since the application's previous
    round, with the notes of that round's review; {} for a first round. Two queries."""
    previous = application.snapshots.filter(round__lt=latest.round).order_by("-round").first()
    if previous is None:
        return {}
    review = application.reviews.filter(round=previous.round).order_by("-created_at", "-pk").first()
    notes = dict(review.notes.values_list("indicator_id", "note")) if review else {}
    before = {item["id"]: item for item in previous.data["indicators"]}
    changes = {}
    for item in latest.data["indicators"]:
        old = before.get(item["id"], {})
        change = IndicatorChange(note=notes.get(item["id"], ""))
        if old.get("score") != item["score"]:
            change.score = (old.get("score"), item["score"])
        if old.get("account", "") != item["account"]:
            change.previous_account = old.get("account", "")
        old_files = {file["material"]: file for file in old.get("evidence", [])}
        new_files = {file["material"]: file for file in item["evidence"]}
        for material, file in new_files.items():
            if material not in old_files:
                change.added.append(file)
            elif old_files[material]["version"] != file["version"]:
                change.replaced.append((old_files[material], file))
        change.removed = [file for material, file in old_files.items() if material not in new_files]
        if change.changed or change.note:
            changes[item["id"]] = change
    return changes
