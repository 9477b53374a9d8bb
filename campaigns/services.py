"""Every write to campaigns and standards.

Each function is atomic, checks who acts, re-reads what it changes under a row lock and
writes one audit record per change. An `actor` of None is the system itself (management
commands, data set-up) and skips the permission check.

Version services lock the campaign row first and the version row second, always in
that order, so that two administrators creating, editing or publishing versions of the
same campaign at once queue up instead of both winning.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import apply_changes, record_event
from campaigns import permissions
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Category,
    Indicator,
    StandardVersion,
    VersionStatus,
    VetoItem,
)
from campaigns.scoring import ZERO, compute_totals, format_score
from core.concurrency import check_unchanged, check_values, fingerprint

CAMPAIGN_FIELDS = (
    "name",
    "doc_number",
    "issuer",
    "description",
    "start_date",
    "end_date",
    "status",
    "review_limit_days",
    "recommendations_enabled",
    "team_size",
    "aggregation_method",
    "spread_limit",
    "certificate_pattern",
    "registration_pattern",
    "named_title",
)
VERSION_FIELDS = ("label", "threshold_total", "category_min_ratio", "notes")
INDICATOR_FIELDS = ("text", "max_score", "guidance", "evidence")


def _require_manager(actor) -> None:
    if actor is not None and not permissions.can_manage_campaigns(actor):
        raise PermissionDenied


def _check_activation(campaign: Campaign) -> None:
    """Units apply against an active campaign's published standard, so there must be one."""
    if campaign.status == CampaignStatus.ACTIVE and (campaign.pk is None or not campaign.versions.published().exists()):
        raise ValidationError({"status": _("Publish a standard for this campaign before making it active.")})


@transaction.atomic
def create_campaign(*, actor, **fields) -> Campaign:
    """Create a campaign from CAMPAIGN_FIELDS. Raises PermissionDenied unless `actor` is the
    provincial administrator; ValidationError on a bad field or when it would be active
    without a published standard (a new campaign has none yet)."""
    _require_manager(actor)
    campaign = Campaign(**{name: fields[name] for name in CAMPAIGN_FIELDS if name in fields})
    _check_activation(campaign)
    campaign.full_clean()
    campaign.save()
    record_event(actor=actor, action="campaign.create", obj=campaign, to_state=campaign.status)
    return campaign


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, edit_token: str | None = None, **fields) -> Campaign:
    """Change a campaign's CAMPAIGN_FIELDS; audited with the changed values. Raises as
    `create_campaign`, and EditConflict when the fields changed since the form showed
    `edit_token`."""
    _require_manager(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_unchanged(campaign, token=edit_token, values=fields)
    old_status = campaign.status
    changed = apply_changes(campaign, names=CAMPAIGN_FIELDS, values=fields)
    if not changed:
        return campaign
    _check_activation(campaign)
    campaign.full_clean()
    campaign.save()
    record_event(
        actor=actor,
        action="campaign.update",
        obj=campaign,
        from_state=old_status if "status" in changed else "",
        to_state=campaign.status if "status" in changed else "",
        details={"changed": changed},
    )
    return campaign


def _lock_campaign(campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign_id)


def _lock_version(version: StandardVersion) -> StandardVersion:
    campaign = _lock_campaign(version.campaign_id)
    version = StandardVersion.objects.select_for_update().get(pk=version.pk)
    version.campaign = campaign
    return version


def _require_draft(version: StandardVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            _("Version %(number)s is %(status)s and can no longer change. Create a new version instead.")
            % {"number": version.number, "status": version.get_status_display()},
            code="frozen",
        )


def _copy_source(campaign: Campaign) -> StandardVersion | None:
    """What a new version starts from: the campaign's newest version, else (for a new
    campaign) the most recently published standard of any campaign."""
    return (
        campaign.versions.order_by("-number").first()
        or StandardVersion.objects.published().order_by(F("published_at").desc(nulls_last=True), "-pk").first()
    )


@transaction.atomic
def create_version(*, actor, campaign: Campaign) -> StandardVersion:
    """Start a new draft version of `campaign`'s standard as a copy of `_copy_source`:
    thresholds, notes, categories, indicators and veto items. Raises PermissionDenied
    unless `actor` is the provincial administrator; ValidationError when the campaign
    is closed, already has a draft, or there is no standard anywhere to copy."""
    _require_manager(actor)
    campaign = _lock_campaign(campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("This campaign is closed: its standard can no longer change."), code="closed")
    if campaign.versions.drafts().exists():
        raise ValidationError(_("This campaign already has a draft version: edit or discard it first."), code="draft")
    source = _copy_source(campaign)
    if source is None:
        raise ValidationError(_("There is no standard to start from yet."), code="no_source")
    latest = campaign.versions.order_by("-number").values_list("number", flat=True).first()
    version = StandardVersion(
        campaign=campaign,
        number=(latest or 0) + 1,
        label=source.label,
        status=VersionStatus.DRAFT,
        threshold_total=source.threshold_total,
        category_min_ratio=source.category_min_ratio,
        notes=source.notes,
    )
    version.full_clean()
    version.save()
    _copy_content(source=source, target=version)
    record_event(
        actor=actor,
        action="standard.create",
        obj=version,
        to_state=version.status,
        details={"copied_from": source.pk, "copied_from_number": source.number},
    )
    return version


def _copy_content(*, source: StandardVersion, target: StandardVersion) -> None:
    # Categories one by one (there are a handful) because their new keys are needed;
    # indicators and veto items in bulk.
    indicators = []
    for category in source.categories.prefetch_related("indicators"):
        copy = Category.objects.create(version=target, order=category.order, code=category.code, name=category.name)
        indicators.extend(
            Indicator(
                category=copy,
                order=indicator.order,
                text=indicator.text,
                max_score=indicator.max_score,
                guidance=indicator.guidance,
                evidence=indicator.evidence,
            )
            for indicator in category.indicators.all()
        )
    Indicator.objects.bulk_create(indicators)
    VetoItem.objects.bulk_create(
        VetoItem(version=target, order=item.order, text=item.text) for item in source.veto_items.all()
    )


def indicator_label(indicator: Indicator) -> str:
    """How people cite an indicator: the category's numeral and the indicator's number, （一）3."""
    return f"（{indicator.category.code}）{indicator.order}"


def _draft_values(version: StandardVersion, indicators, veto_items: Sequence[str]) -> dict:
    """A draft as one mapping, for its edit token: the version's fields, every field of
    every indicator ("indicator-<id>-<field>") and the veto texts."""
    values = {name: getattr(version, name) for name in VERSION_FIELDS}
    for indicator in indicators:
        values.update({f"indicator-{indicator.pk}-{name}": getattr(indicator, name) for name in INDICATOR_FIELDS})
    values["veto_items"] = "\n".join(veto_items)
    return values


def _saved_draft_values(version: StandardVersion) -> dict:
    indicators = Indicator.objects.filter(category__version=version).order_by("pk")
    return _draft_values(version, indicators, list(version.veto_items.values_list("text", flat=True)))


def draft_token(version: StandardVersion) -> str:
    """The edit token of a draft as saved now (the version's edit page carries it)."""
    return fingerprint(_saved_draft_values(version))


def _draft_label(key: str, indicators: Mapping[int, Indicator]) -> str:
    if key == "veto_items":
        return _("Veto items")
    if key.startswith("indicator-"):
        _prefix, pk, name = key.split("-", 2)
        indicator = indicators[int(pk)]
        return f"{indicator_label(indicator)} {Indicator._meta.get_field(name).verbose_name}"
    return str(StandardVersion._meta.get_field(key).verbose_name)


@transaction.atomic
def update_draft(
    *,
    actor,
    version: StandardVersion,
    settings: Mapping[str, Any],
    indicators: Mapping[int, Mapping[str, Any]],
    veto_items: Sequence[str] | None = None,
    edit_token: str | None = None,
) -> StandardVersion:
    """Edit a draft version in one go: `settings` holds VERSION_FIELDS, `indicators` maps
    an indicator id of this version to its INDICATOR_FIELDS, `veto_items` (when given) is
    the full new list of veto texts. All or nothing: any error writes nothing.

    Raises PermissionDenied unless `actor` is the provincial administrator.
    Raises ValidationError when the version is published or retired (frozen), or on a bad
    value: errors about the version's own fields are keyed by field name (the threshold
    may not exceed the computed maximum total); errors about an indicator are non-field
    errors naming it, e.g. "（二）3: …". Audits the changed values when anything changed.
    Raises EditConflict when the draft changed since the page showed `edit_token`.
    """
    _require_manager(actor)
    version = _lock_version(version)
    _require_draft(version)
    current = {i.pk: i for i in Indicator.objects.filter(category__version=version).select_related("category")}
    if set(indicators) - set(current):
        raise ValidationError(_("Some indicators are not part of this version. Reload the page and try again."))
    saved = _saved_draft_values(version)
    submitted = {key: value for key, value in saved.items() if key != "veto_items" and not key.startswith("indicator-")}
    submitted.update({name: settings[name] for name in VERSION_FIELDS if name in settings})
    for pk, values in indicators.items():
        submitted.update({f"indicator-{pk}-{name}": values[name] for name in INDICATOR_FIELDS if name in values})
    submitted["veto_items"] = (
        saved["veto_items"]
        if veto_items is None
        else "\n".join(text.strip() for text in veto_items if text and text.strip())
    )
    check_values(
        token=edit_token,
        current=saved,
        new=submitted,
        history=version,
        label=lambda key: _draft_label(key, current),
    )

    errors: dict[str, list] = {}
    changed: dict[str, Any] = {}
    touched = set()
    for pk, values in indicators.items():
        indicator = current[pk]
        indicator_changes = apply_changes(indicator, names=INDICATOR_FIELDS, values=values)
        if indicator_changes:
            changed.setdefault("indicators", {})[indicator_label(indicator)] = indicator_changes
            touched.update(indicator_changes)
        try:
            indicator.full_clean(exclude=["category", "order"], validate_constraints=False)
        except ValidationError as error:
            for message in error.messages:
                errors.setdefault(NON_FIELD_ERRORS, []).append(f"{indicator_label(indicator)}: {message}")

    version_changes = apply_changes(version, names=VERSION_FIELDS, values=settings)
    if version_changes:
        changed["version"] = version_changes
    try:
        version.full_clean(exclude=["campaign"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if "threshold_total" not in errors and not errors.get(NON_FIELD_ERRORS):
        max_total = sum((i.max_score for i in current.values()), ZERO)
        if version.threshold_total > max_total:
            errors["threshold_total"] = [
                _("The threshold cannot be above the maximum total of %(max)s points.")
                % {"max": format_score(max_total)}
            ]
    if errors:
        raise ValidationError(errors)

    new_veto = None
    if veto_items is not None:
        new_veto = [text.strip() for text in veto_items if text and text.strip()]
        old_veto = list(version.veto_items.values_list("text", flat=True))
        if new_veto != old_veto:
            changed["veto_items"] = [old_veto, new_veto]
        else:
            new_veto = None

    if not changed:
        return version
    if touched:
        Indicator.objects.bulk_update(current.values(), sorted(touched))
    if "version" in changed:
        version.save(update_fields=list(changed["version"]))
    if new_veto is not None:
        # Drafts are referenced by nothing yet, so the list is simply replaced.
        version.veto_items.all().delete()
        VetoItem.objects.bulk_create(
            VetoItem(version=version, order=order, text=text) for order, text in enumerate(new_veto, start=1)
        )
    record_event(actor=actor, action="standard.update", obj=version, details={"changed": changed})
    return version


@transaction.atomic
def publish_version(*, actor, version: StandardVersion) -> StandardVersion:
    """Put a draft in force: it becomes the campaign's published version, frozen from
    now on, and the version published before it is retired. Raises PermissionDenied
    unless `actor` is the provincial administrator; ValidationError when the version is
    not a draft, has no indicator, or its threshold exceeds its maximum total."""
    _require_manager(actor)
    version = _lock_version(version)
    if not version.is_draft:
        raise ValidationError(_("Only a draft version can be published."), code="not_draft")
    totals = compute_totals(version)
    if totals.indicator_count == 0:
        raise ValidationError(_("A version without indicators cannot be published."), code="empty")
    if version.threshold_total > totals.max_total:
        raise ValidationError(
            _("The threshold cannot be above the maximum total of %(max)s points.")
            % {"max": format_score(totals.max_total)},
            code="threshold",
        )
    now = timezone.now()
    previous = version.campaign.versions.published().select_for_update().first()
    if previous is not None:
        previous.status = VersionStatus.RETIRED
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
        record_event(
            actor=actor,
            action="standard.retire",
            obj=previous,
            from_state=VersionStatus.PUBLISHED,
            to_state=VersionStatus.RETIRED,
            details={"replaced_by": version.pk},
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.save(update_fields=["status", "published_at"])
    record_event(
        actor=actor,
        action="standard.publish",
        obj=version,
        from_state=VersionStatus.DRAFT,
        to_state=VersionStatus.PUBLISHED,
        details={"retired": previous.pk if previous else None, "max_total": format_score(totals.max_total)},
    )
    return version


@transaction.atomic
def discard_draft(*, actor, version: StandardVersion) -> None:
    """Delete a draft version and its content. Raises PermissionDenied unless `actor` is
    the provincial administrator; ValidationError for a published or retired version."""
    _require_manager(actor)
    version = _lock_version(version)
    _require_draft(version)
    record_event(
        actor=actor,
        action="standard.discard",
        obj=version,
        from_state=VersionStatus.DRAFT,
        details={"number": version.number},
    )
    version.delete()
