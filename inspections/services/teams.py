"""Planning an on-site inspection and forming its team (组建考察组).

Every team, whether chosen by hand or drawn at random, passes `_check_team`, which asks
inspections.selectors.conflict_of about each member: an inspector in conflict with the
unit can never be assigned. Each change is audited and the people concerned are told.
"""

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, State
from audit.services import record_event
from core.concurrency import check_values, fingerprint
from core.roles import Role
from inspections import selectors
from inspections.models import Draw, Inspection, InspectionStatus, Inspector, Scoresheet, TeamMember
from inspections.permissions import require_province
from notifications.services import notify, translatable


def _users(inspectors) -> list:
    return [i.user for i in inspectors if i.user_id is not None and i.user.is_active]


def _check_visit(*, visit_date: date, place: str, previous: date | None) -> None:
    errors = {}
    if visit_date != previous and visit_date < timezone.localdate():
        errors["visit_date"] = _("The visit cannot be planned for a day that has passed.")
    if not (place or "").strip():
        errors["place"] = _("Say where the team meets.")
    if errors:
        raise ValidationError(errors)


def _check_team(*, application: Application, leader: Inspector | None, members: list[Inspector]) -> list[Inspector]:
    """The team in order (leader first) when it has the campaign's size and nobody in it
    is in conflict with the unit; ValidationError by field otherwise."""
    if leader is None:
        raise ValidationError({"leader": _("Choose the team leader.")})
    team = [leader, *[m for m in members if m.pk != leader.pk]]
    if len({m.pk for m in team}) != len(team):
        raise ValidationError({"members": _("An inspector appears twice in the team.")})
    size = application.campaign.team_size
    if len(team) != size:
        message = _("The team must have %(size)d inspectors, the leader included; it has %(count)d.")
        raise ValidationError({"members": message % {"size": size, "count": len(team)}})
    declared = selectors.declared_conflicts(application.unit)
    refused = []
    for inspector in team:
        reason = selectors.conflict_of(inspector, application.unit, declared=declared)
        if reason:
            refused.append(_("%(name)s: %(reason)s") % {"name": inspector.name, "reason": reason})
    if refused:
        field = "leader" if selectors.conflict_of(leader, application.unit, declared=declared) else "members"
        raise ValidationError({field: [_("These inspectors may not inspect this unit:"), *refused]})
    return team


def _lock_application(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=application.pk)
    )
    if locked.state != State.AWAITING_INSPECTION:
        raise ValidationError(
            _("Only an application awaiting inspection can be inspected; this one is “%(state)s”.")
            % {"state": locked.get_state_display()},
            code="state",
        )
    return locked


def _plan_values(inspection: Inspection) -> dict:
    members = list(inspection.members.all())
    return {
        "visit_date": inspection.visit_date,
        "place": inspection.place,
        "notes": inspection.notes,
        "leader": next((m.inspector_id for m in members if m.is_leader), None),
        "members": sorted(m.inspector_id for m in members if not m.is_leader),
    }


def plan_token(inspection: Inspection) -> str:
    """The edit token of a planned inspection (visit and team) as saved now."""
    return fingerprint(_plan_values(inspection))


def _check_plan_unchanged(inspection: Inspection | None, *, token: str | None, new: dict) -> None:
    """EditConflict when the visit or the team changed since the planning page showed
    `token` (two provincial officers changing one inspection)."""
    if inspection is None or token is None:
        return
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)

    def display(name):
        if name in ("leader", "members"):
            members = locked.members.select_related("inspector").order_by("-is_leader", "inspector__name")
            chosen = [m for m in members if m.is_leader == (name == "leader")]
            return "、".join(m.inspector.name for m in chosen)
        return str(getattr(locked, name))

    check_values(token=token, current=_plan_values(locked), new=new, history=locked, display=display)


def _save_visit(*, actor, application, inspection, visit_date, place, notes) -> tuple[Inspection, bool]:
    """The inspection with its date and place; (inspection, whether the visit changed)."""
    if inspection is None:
        _check_visit(visit_date=visit_date, place=place, previous=None)
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    application=application, visit_date=visit_date, place=place.strip(), notes=notes, created_by=actor
                )
        except IntegrityError as error:
            raise ValidationError(_("This application already has an inspection."), code="exists") from error
        record_event(actor=actor, action="inspection.plan", obj=inspection, to_state=InspectionStatus.PLANNED)
        return inspection, False
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("This inspection is no longer planned: it cannot change."), code="state")
    _check_visit(visit_date=visit_date, place=place, previous=inspection.visit_date)
    changed = {}
    for name, value in (("visit_date", visit_date), ("place", place.strip()), ("notes", notes)):
        if getattr(inspection, name) != value:
            changed[name] = [str(getattr(inspection, name)), str(value)]
            setattr(inspection, name, value)
    if changed:
        inspection.save(update_fields=["visit_date", "place", "notes", "updated_at"])
        record_event(actor=actor, action="inspection.change", obj=inspection, details={"changed": changed})
    return inspection, bool(changed.keys() & {"visit_date", "place"})


def _set_team(*, actor, inspection: Inspection, team: list[Inspector], visit_changed: bool) -> None:
    """Make `team` (leader first) the inspection's team: new members get a sheet (a member
    who comes back gets its old sheet back), removed ones lose their place; everyone
    concerned is notified."""
    current = {m.inspector_id: m for m in inspection.members.select_related("inspector__user")}
    wanted = {i.pk: i for i in team}
    leader_id = team[0].pk
    removed = [m.inspector for pk, m in current.items() if pk not in wanted]
    added = [i for pk, i in wanted.items() if pk not in current]
    kept = [i for pk, i in wanted.items() if pk in current]
    inspection.members.filter(inspector_id__in=[i.pk for i in removed]).delete()
    # The unique leader constraint holds at every statement: clear the old leader first.
    inspection.members.filter(is_leader=True).exclude(inspector_id=leader_id).update(is_leader=False)
    TeamMember.objects.bulk_create([TeamMember(inspection=inspection, inspector=i, is_leader=False) for i in added])
    inspection.members.filter(inspector_id=leader_id).update(is_leader=True)
    existing = set(inspection.sheets.values_list("inspector_id", flat=True))
    Scoresheet.objects.bulk_create(
        [Scoresheet(inspection=inspection, inspector=i) for i in added if i.pk not in existing]
    )
    leader_changed = current.get(leader_id) is None or not current[leader_id].is_leader
    if added or removed or leader_changed:
        record_event(
            actor=actor,
            action="inspection.team",
            obj=inspection,
            details={
                "team": [i.pk for i in team],
                "leader": leader_id,
                "added": [i.pk for i in added],
                "removed": [i.pk for i in removed],
            },
        )
    url = reverse("inspections:detail", kwargs={"pk": inspection.pk})
    unit = inspection.application.unit.name
    when = {"unit": unit, "date": inspection.visit_date.isoformat(), "place": inspection.place}
    visit = translatable(gettext_lazy("Visit on %(date)s at %(place)s."), **when)
    if added:
        notify(
            recipients=_users(added),
            title=translatable(gettext_lazy("You are in the team inspecting %(unit)s"), **when),
            body=visit,
            url=url,
            actor=actor,
            kind="inspection.assigned",
        )
    if removed:
        notify(
            recipients=_users(removed),
            title=translatable(gettext_lazy("You are no longer in the team inspecting %(unit)s"), **when),
            body="",
            url="",
            actor=actor,
            kind="inspection.unassigned",
        )
    if visit_changed and kept:
        notify(
            recipients=_users(kept),
            title=translatable(gettext_lazy("The inspection of %(unit)s has changed"), **when),
            body=visit,
            url=url,
            actor=actor,
            kind="inspection.changed",
        )
    if not current:
        _tell_unit(actor=actor, inspection=inspection, leader=team[0], kind="inspection.unit_planned")
    elif visit_changed or leader_changed:
        _tell_unit(actor=actor, inspection=inspection, leader=team[0], kind="inspection.unit_changed")


def _unit_operators(inspection: Inspection) -> list:
    from accounts.models import User

    return list(User.objects.filter(organisation_id=inspection.application.unit_id, role=Role.UNIT, is_active=True))


def _tell_unit(*, actor, inspection: Inspection, leader: Inspector | None, kind: str, reason: str = "") -> None:
    """Tell the unit's operators, in the platform and by e-mail, that their inspection was
    planned, moved or cancelled: date, place and who leads the team."""
    when = {
        "date": inspection.visit_date.isoformat(),
        "place": inspection.place,
        "leader": leader.name if leader else "",
    }
    titles = {
        "inspection.unit_planned": gettext_lazy("An on-site inspection of your unit is planned for %(date)s"),
        "inspection.unit_changed": gettext_lazy("The on-site inspection of your unit has changed: now on %(date)s"),
        "inspection.unit_cancelled": gettext_lazy("The on-site inspection of your unit on %(date)s is cancelled"),
    }
    if kind == "inspection.unit_cancelled":
        body = translatable(gettext_lazy("Reasons: %(reason)s"), reason=reason)
    else:
        body = translatable(gettext_lazy("Visit on %(date)s at %(place)s; the team is led by %(leader)s."), **when)
    notify(
        recipients=_unit_operators(inspection),
        title=translatable(titles[kind], **when),
        body=body,
        url=reverse("applications:detail", kwargs={"pk": inspection.application_id}),
        actor=actor,
        kind=kind,
    )


@transaction.atomic
def plan_inspection(
    *,
    actor,
    application: Application,
    visit_date: date,
    place: str,
    notes: str = "",
    leader: Inspector | None,
    members: list[Inspector],
    inspection: Inspection | None = None,
    edit_token: str | None = None,
) -> Inspection:
    """Plan (or change) the inspection of `application` with a team chosen by hand.

    Province roles only (PermissionDenied otherwise). The application must await
    inspection; the team must have the campaign's size and nobody in conflict with the
    unit; ValidationError by field otherwise, and nothing changes. Audited; the members
    added, removed or whose visit moved are notified after the commit. EditConflict
    when the visit or team changed since the page showed `edit_token`."""
    require_province(actor)
    application = _lock_application(application)
    _check_plan_unchanged(
        inspection,
        token=edit_token,
        new={
            "visit_date": visit_date,
            "place": place.strip(),
            "notes": notes,
            "leader": leader,
            "members": sorted(member.pk for member in members),
        },
    )
    team = _check_team(application=application, leader=leader, members=members)
    inspection, visit_changed = _save_visit(
        actor=actor, application=application, inspection=inspection, visit_date=visit_date, place=place, notes=notes
    )
    _set_team(actor=actor, inspection=inspection, team=team, visit_changed=visit_changed)
    return inspection


@transaction.atomic
def draw_inspection(
    *,
    actor,
    application: Application,
    visit_date: date,
    place: str,
    notes: str = "",
    inspection: Inspection | None = None,
    seed: str | None = None,
    edit_token: str | None = None,
) -> Inspection:
    """Plan (or change) the inspection of `application` with a team drawn at random among
    the eligible candidates (inspections.selectors.draw_team; the first drawn leads).
    The Draw row records the seed and the ordered candidates so that anyone can replay
    it. Same rules, errors, audit and notices as plan_inspection."""
    require_province(actor)
    application = _lock_application(application)
    # A draw replaces the team whatever it was: only a changed visit is compared.
    _check_plan_unchanged(
        inspection, token=edit_token, new={"visit_date": visit_date, "place": place.strip(), "notes": notes}
    )
    size = application.campaign.team_size
    eligible = sorted(c.inspector.pk for c in selectors.candidates_for(application))
    if len(eligible) < size:
        raise ValidationError(
            _("Only %(count)d inspectors of the pool may inspect this unit; the team needs %(size)d.")
            % {"count": len(eligible), "size": size},
            code="too_few",
        )
    seed = seed or secrets.token_hex(16)
    picked = selectors.draw_team(eligible, seed=seed, size=size)
    by_pk = Inspector.objects.select_related("user__organisation", "area").in_bulk(picked)
    team = _check_team(application=application, leader=by_pk[picked[0]], members=[by_pk[pk] for pk in picked[1:]])
    inspection, visit_changed = _save_visit(
        actor=actor, application=application, inspection=inspection, visit_date=visit_date, place=place, notes=notes
    )
    draw = Draw.objects.create(
        inspection=inspection, seed=seed, candidates=eligible, size=size, picked=picked, drawn_by=actor
    )
    record_event(
        actor=actor,
        action="inspection.draw",
        obj=inspection,
        details={"draw": draw.pk, "seed": seed, "candidates": eligible, "picked": picked},
    )
    _set_team(actor=actor, inspection=inspection, team=team, visit_changed=visit_changed)
    return inspection


@transaction.atomic
def cancel_inspection(*, actor, inspection: Inspection, reason: str) -> Inspection:
    """Cancel a planned inspection with a reason; the application waits for a new one.
    The members are notified; their sheets are kept with the cancelled inspection."""
    require_province(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reasons.")})
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("application__unit").get(pk=inspection.pk)
    )
    if inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("Only a planned inspection can be cancelled."), code="state")
    inspection.status = InspectionStatus.CANCELLED
    inspection.cancel_reason = reason
    inspection.save(update_fields=["status", "cancel_reason", "updated_at"])
    record_event(
        actor=actor,
        action="inspection.cancel",
        obj=inspection,
        from_state=InspectionStatus.PLANNED,
        to_state=InspectionStatus.CANCELLED,
        reason=reason,
    )
    members = [m.inspector for m in inspection.members.select_related("inspector__user")]
    notify(
        recipients=_users(members),
        title=translatable(
            gettext_lazy("The inspection of %(unit)s is cancelled"), unit=inspection.application.unit.name
        ),
        body=reason,
        url="",
        actor=actor,
        kind="inspection.cancelled",
    )
    _tell_unit(actor=actor, inspection=inspection, leader=None, kind="inspection.unit_cancelled", reason=reason)
    return inspection


@transaction.atomic
def record_visit_date(*, actor, inspection: Inspection, visit_date: date, reason: str) -> Inspection:
    """The team leader records that the visit took place on another day than planned (an
    earlier one: the sheets can be submitted from the visit's day on). The leader of a
    planned inspection only (PermissionDenied); the day cannot be in the future, nor the
    planned one, and the reason is required (ValidationError by field). Audited with both
    days; the province, the team and the unit are told."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("application__unit").get(pk=inspection.pk)
    )
    leader = inspection.members.filter(is_leader=True, inspector__user=actor).select_related("inspector").first()
    if leader is None:
        raise PermissionDenied
    if inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("This inspection is no longer planned: it cannot change."), code="state")
    reason = (reason or "").strip()
    errors = {}
    if visit_date > timezone.localdate():
        errors["visit_date"] = _("Record the day the visit took place: it cannot be in the future.")
    elif visit_date == inspection.visit_date:
        errors["visit_date"] = _("This is the planned day already: nothing to record.")
    if not reason:
        errors["reason"] = _("Please give the reasons.")
    if errors:
        raise ValidationError(errors)
    before = inspection.visit_date
    inspection.planned_date = inspection.planned_date or before
    inspection.visit_date = visit_date
    inspection.date_change_reason = reason
    inspection.save(update_fields=["visit_date", "planned_date", "date_change_reason", "updated_at"])
    record_event(
        actor=actor,
        action="inspection.visit_recorded",
        obj=inspection,
        reason=reason,
        details={"changed": {"visit_date": [before.isoformat(), visit_date.isoformat()]}},
    )
    from accounts.models import User
    from core.roles import PROVINCE_ROLES

    when = {"unit": inspection.application.unit.name, "date": visit_date.isoformat(), "planned": before.isoformat()}
    members = [m.inspector for m in inspection.members.select_related("inspector__user")]
    notify(
        recipients=[*User.objects.filter(role__in=PROVINCE_ROLES, is_active=True), *_users(members)],
        title=translatable(
            gettext_lazy("The inspection of %(unit)s took place on %(date)s (planned for %(planned)s)"), **when
        ),
        body=reason,
        url=reverse("inspections:detail", kwargs={"pk": inspection.pk}),
        actor=actor,
        kind="inspection.visit_recorded",
    )
    _tell_unit(actor=actor, inspection=inspection, leader=leader.inspector, kind="inspection.unit_changed")
    return inspection
