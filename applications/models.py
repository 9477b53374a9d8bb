from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.records import WrittenOnce
from core.roles import Role
from organisations.scoping import unit_scope_q


class State(models.TextChoices):
    """The application states of DESIGN.md §3. Only applications.workflow.transition()
    assigns them (a test reads the source to keep it so)."""

    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    REGISTERED = "registered", pgettext_lazy("application state", "Registered")
    RETURNED = "returned", pgettext_lazy("application state", "Returned for supplement")
    REJECTED = "rejected", pgettext_lazy("application state", "Rejected")
    AWAITING_INSPECTION = "awaiting_inspection", pgettext_lazy("application state", "Awaiting inspection")
    SCORED = "scored", pgettext_lazy("application state", "Scored")
    NAMED = "named", pgettext_lazy("application state", "Named")
    NOT_NAMED = "not_named", pgettext_lazy("application state", "Not named")
    REVOKED = "revoked", pgettext_lazy("application state", "Revoked")


# The unit may still change what it will submit.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# Ended applications: the unit may start a new one in the same campaign.
CLOSED_STATES = frozenset({State.REJECTED, State.NOT_NAMED, State.REVOKED})
# Waiting for the provincial office: the inbox.
INBOX_STATES = frozenset({State.SUBMITTED, State.REGISTERED})


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications `user` may see: all for the province, its subtree's for an
        association (never drafts: a unit's work is its own until submitted), its own
        unit's for a unit operator, those of the inspections it is a member of for an
        inspector (inspections.models), none for anyone else."""
        scope = unit_scope_q(user)
        if scope is not None:
            if user.role != Role.UNIT:
                scope &= Q(submitted_at__isnull=False)
            return self.filter(scope)
        if user.is_authenticated and user.is_active and user.role == Role.INSPECTOR:
            from inspections.models import Inspection

            return self.filter(pk__in=Inspection.objects.visible_to(user).values("application_id"))
        return self.none()

    def open(self):
        return self.exclude(state__in=CLOSED_STATES)

    def in_inbox(self):
        return self.filter(state__in=INBOX_STATES)


class Application(models.Model):
    """A unit's application in a campaign, from the draft self-assessment to the decision.

    The draft is the self-assessment (自查): one ApplicationIndicator per indicator of
    `version`. What the unit submitted is kept in Snapshot rows that nothing changes.
    """

    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="applications"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="applications"
    )
    version = models.ForeignKey(
        "campaigns.StandardVersion",
        verbose_name=_("standard version"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True)
    # Given at the first registration: the serial within the campaign and year, the year,
    # and the number as printed from the campaign's pattern (e.g. 2026-00007). Kept for good.
    registration_number = models.PositiveIntegerField(_("registration serial"), null=True, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("year of registration"), null=True, blank=True)
    registration_code = models.CharField(_("registration number"), max_length=100, blank=True)
    round = models.PositiveSmallIntegerField(_("submission round"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "registration_code"],
                condition=~Q(registration_code=""),
                name="application_registration_code_unique",
            ),
            # One application under way per unit and campaign; after a rejection the unit may apply again.
            models.UniqueConstraint(
                fields=["unit", "campaign"],
                condition=~Q(state__in=["rejected", "not_named", "revoked"]),
                name="application_one_open_per_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="application_inbox_idx"),
            # The inbox reads two states oldest first: walking this index stops after one page.
            models.Index(fields=["submitted_at"], name="application_submitted_idx"),
            models.Index(fields=["campaign", "state"], name="application_campaign_state_idx"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.campaign}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class ApplicationIndicator(models.Model):
    """The unit's own score and account for one indicator (自查), while the draft is open."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey("campaigns.Indicator", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("self-score"), max_digits=5, decimal_places=1, null=True, blank=True)
    account = models.TextField(_("what the unit has done"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessed indicator")
        verbose_name_plural = _("self-assessed indicators")
        constraints = [
            models.UniqueConstraint(fields=["application", "indicator"], name="application_indicator_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) | Q(score__isnull=True), name="self_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.application} · {self.indicator_id}"


class Snapshot(WrittenOnce):
    """What the unit submitted in one round, frozen: scores, accounts, totals and the
    exact file versions. Written once by the submit transition and never changed."""

    rewrite_message = "A submitted snapshot cannot be changed."

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="snapshots")
    round = models.PositiveSmallIntegerField(_("round"))
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    data = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("submitted snapshot")
        verbose_name_plural = _("submitted snapshots")
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["application", "round"], name="snapshot_round_unique")]

    def __str__(self):
        return f"{self.application} · {self.round}"


class RegistrationCounter(models.Model):
    """The last registration serial given in a campaign and year; its row lock orders
    registrations (gap-free and unique per campaign and year)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "year"], name="registration_counter_unique")]

    def __str__(self):
        return f"{self.campaign_id}/{self.year}: {self.last_number}"

    def fields_of(self, serial: int) -> dict:
        """The registration fields of the application given `serial` by this counter (for
        applications.services.register_application and the demo data, which writes in bulk)."""
        from campaigns.validators import format_certificate_number

        code = format_certificate_number(self.campaign.registration_pattern, year=self.year, serial=serial)
        return {"registration_number": serial, "registration_year": self.year, "registration_code": code}


class Decision(models.TextChoices):
    PASS = "pass", _("Pass to inspection")
    RETURN = "return", _("Return for supplement")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """One preliminary review (初步审核) of one submitted round, with notes per indicator."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("round"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reasons"), blank=True)
    created_at = models.DateTimeField(_("reviewed"), auto_now_add=True)

    class Meta:
        verbose_name = _("preliminary review")
        verbose_name_plural = _("preliminary reviews")
        ordering = ["round", "created_at"]

    def __str__(self):
        return f"{self.application} · {self.round} · {self.decision}"


class ReviewNote(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notes")
    indicator = models.ForeignKey("campaigns.Indicator", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "indicator"], name="review_note_unique")]

    def __str__(self):
        return self.note[:50]


class Recommendation(models.Model):
    """An association's optional recommendation opinion (推荐意见) on one of its units' applications."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="recommendations")
    association = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("recommendation"), max_length=2000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "association"], name="one_recommendation_per_association")
        ]

    def __str__(self):
        return f"{self.association} → {self.application}"
