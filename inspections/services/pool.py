"""Writes of the expert pool (专家库): entries, their login accounts, declared conflicts
and the import of a checked spreadsheet.

Only the provincial office keeps the pool: every function takes a keyword-only `actor`
and raises PermissionDenied unless the actor has a provincial role. Each write is atomic
and leaves one audit record in the same transaction.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import apply_changes, record_event
from core.concurrency import check_unchanged
from core.roles import Role
from inspections.models import Conflict, Inspector
from inspections.permissions import require_province
from organisations.models import ASSOCIATION_KINDS, Kind, Organisation

# The fields of an entry a provincial user edits (the login account and the state have
# their own rules and functions).
POOL_FIELDS = ("name", "employer", "title", "area", "specialities", "phone", "id_number", "email", "notes")
# An expert belongs to a city, an industry system or a provincial department; counties
# are too fine-grained for the avoidance rule, and no area means provincial level.
AREA_KINDS = frozenset(ASSOCIATION_KINDS - {Kind.COUNTY})
# Bulk writes go in batches that stay below every database's parameter limit.
BATCH_SIZE = 500


def login_account_problem(user: User, *, inspector_id: int | None = None) -> str:
    """Why `user` cannot be the login account of the entry `inspector_id` (None for a
    new entry), or "" when it can. Reads `user.inspector_profile`: select it with the
    account to check many accounts without a query each."""
    if user.role != Role.INSPECTOR:
        return _("This account does not have the inspector role.")
    if not user.is_active:
        return _("This account is disabled.")
    try:
        linked = user.inspector_profile
    except Inspector.DoesNotExist:
        linked = None
    if linked is not None and linked.pk != inspector_id:
        return _("This account is already linked to the expert %(name)s.") % {"name": linked.name}
    return ""


def _check_login(user: User | None, *, inspector_id: int | None) -> None:
    if user is None:
        return
    problem = login_account_problem(user, inspector_id=inspector_id)
    if problem:
        raise ValidationError({"user": problem}, code="login_account")


def _check_area(area: Organisation | None) -> None:
    if area is not None and area.kind not in AREA_KINDS:
        raise ValidationError(
            {"area": _("Choose a city, an industry system or a provincial department.")}, code="area_kind"
        )


def _check_not_duplicate(*, name: str, phone: str, inspector_id: int | None) -> None:
    # Phones are sealed (a column SQL cannot compare): same name in SQL, same phone here.
    namesakes = Inspector.objects.filter(name=name)
    if inspector_id is not None:
        namesakes = namesakes.exclude(pk=inspector_id)
    if any(other == phone for other in namesakes.values_list("phone", flat=True)):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("An expert with this name and phone number is already in the pool.")},
            code="duplicate",
        )


@transaction.atomic
def create_inspector(
    *,
    actor,
    name: str,
    employer: str = "",
    title: str = "",
    area: Organisation | None = None,
    specialities: str = "",
    phone: str = "",
    id_number: str = "",
    email: str = "",
    notes: str = "",
    user: User | None = None,
    is_active: bool = True,
) -> Inspector:
    """Add an expert to the pool, optionally linked to its login account.
    Raises PermissionDenied unless `actor` is provincial; ValidationError (by field) on a
    bad area, an unusable login account, a duplicate (same name and phone) or a bad field."""
    require_province(actor)
    _check_area(area)
    if user is not None:
        user = User.objects.select_for_update(of=("self",)).select_related("inspector_profile").get(pk=user.pk)
    _check_login(user, inspector_id=None)
    _check_not_duplicate(name=name, phone=phone, inspector_id=None)
    inspector = Inspector(
        name=name,
        employer=employer,
        title=title,
        area=area,
        specialities=specialities,
        phone=phone,
        id_number=id_number,
        email=email,
        notes=notes,
        user=user,
        is_active=is_active,
    )
    inspector.full_clean()
    inspector.save()
    record_event(actor=actor, action="inspector.create", obj=inspector, to_state="active" if is_active else "inactive")
    return inspector


@transaction.atomic
def update_inspector(*, actor, inspector: Inspector, edit_token: str | None = None, **fields) -> Inspector:
    """Change an entry's fields of POOL_FIELDS and its login account (`user`, None to
    unlink); each change is audited as {field: [before, after]}. Raises PermissionDenied
    unless `actor` is provincial; ValidationError (by field) as create_inspector;
    EditConflict when the entry changed since its form showed `edit_token`."""
    require_province(actor)
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    check_unchanged(inspector, token=edit_token, values=fields, names=(*POOL_FIELDS, "user"))
    unknown = set(fields) - {*POOL_FIELDS, "user"}
    if unknown:
        raise TypeError(f"update_inspector() got unexpected fields {sorted(unknown)}")
    _check_area(fields.get("area", inspector.area))
    if "user" in fields and fields["user"] is not None:
        fields["user"] = (
            User.objects.select_for_update(of=("self",)).select_related("inspector_profile").get(pk=fields["user"].pk)
        )
        _check_login(fields["user"], inspector_id=inspector.pk)
    _check_not_duplicate(
        name=fields.get("name", inspector.name), phone=fields.get("phone", inspector.phone), inspector_id=inspector.pk
    )
    changed = apply_changes(inspector, names=(*POOL_FIELDS, "user"), values=fields)
    inspector.full_clean()
    if changed:
        inspector.save()
        record_event(actor=actor, action="inspector.update", obj=inspector, details={"changed": changed})
    return inspector


@transaction.atomic
def create_login(*, actor, inspector: Inspector, username: str) -> tuple[Inspector, str]:
    """Give the expert a login account of its own, from its page: an inspector account
    named `username` in the expert's city or system (the province for a provincial-level
    expert, as conflicts of interest read it), with a random initial password the owner
    must change at its first sign-in; linked to the entry at once. Returns the entry and
    the password, to be shown once. ValidationError on "username" (taken, malformed, or
    the expert has an account already); PermissionDenied unless `actor` is provincial.
    Audited as user.create and inspector.update."""
    from accounts.password_validation import initial_password
    from accounts.services import create_user

    require_province(actor)
    inspector = Inspector.objects.select_for_update(of=("self",)).select_related("area").get(pk=inspector.pk)
    if inspector.user_id:
        raise ValidationError({"username": _("This expert has a login account already.")})
    organisation = inspector.area or Organisation.objects.get(kind=Kind.PROVINCE)
    password = initial_password()
    user = create_user(
        actor=actor,
        username=username.strip(),
        password=password,
        role=Role.INSPECTOR,
        organisation=organisation,
        display_name=inspector.name,
        email=inspector.email,
    )
    return update_inspector(actor=actor, inspector=inspector, user=user), password


@transaction.atomic
def link_account(*, actor, inspector: Inspector, user: User | None) -> Inspector:
    """Link `user` as the login account the expert signs in with to score; None unlinks.
    The account must have the inspector role, be enabled and not be linked to another
    entry: ValidationError on "user" otherwise. PermissionDenied unless `actor` is provincial."""
    return update_inspector(actor=actor, inspector=inspector, user=user)


@transaction.atomic
def set_inspector_active(*, actor, inspector: Inspector, active: bool) -> Inspector:
    """Put an expert back in the pool or take it out: an inactive expert is never drawn
    for an inspection. PermissionDenied unless `actor` is provincial."""
    require_province(actor)
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    if inspector.is_active == active:
        return inspector
    inspector.is_active = active
    inspector.save(update_fields=["is_active", "updated_at"])
    record_event(
        actor=actor,
        action="inspector.activate" if active else "inspector.deactivate",
        obj=inspector,
        from_state="inactive" if active else "active",
        to_state="active" if active else "inactive",
    )
    return inspector


@transaction.atomic
def add_conflict(*, actor, inspector: Inspector, organisation: Organisation, reason: str = "") -> Conflict:
    """Declare that the expert never inspects `organisation` or anything below it.
    Raises ValidationError on "organisation" for the province (it would exclude every
    unit) or a conflict already declared; PermissionDenied unless `actor` is provincial."""
    require_province(actor)
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    if organisation.kind == Kind.PROVINCE:
        raise ValidationError(
            {"organisation": _("The whole province cannot be declared: choose a unit, city or system.")},
            code="province",
        )
    if Conflict.objects.filter(inspector=inspector, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("This conflict is already declared for this expert.")}, code="duplicate"
        )
    conflict = Conflict(inspector=inspector, organisation=organisation, reason=reason)
    conflict.full_clean()
    conflict.save()
    record_event(
        actor=actor,
        action="inspector.conflict_add",
        obj=inspector,
        details={"organisation": organisation.pk, "organisation_name": organisation.name, "reason": reason},
    )
    return conflict


@transaction.atomic
def remove_conflict(*, actor, conflict: Conflict) -> None:
    """Withdraw a declared conflict. PermissionDenied unless `actor` is provincial."""
    require_province(actor)
    conflict = (
        Conflict.objects.select_related("inspector", "organisation").select_for_update(of=("self",)).get(pk=conflict.pk)
    )
    record_event(
        actor=actor,
        action="inspector.conflict_remove",
        obj=conflict.inspector,
        details={"organisation": conflict.organisation_id, "organisation_name": conflict.organisation.name},
    )
    conflict.delete()


@dataclass
class PoolRow:
    """One checked row of an import: the values of an entry (area_id, user_id and the
    fields of POOL_FIELDS but area, and is_active), the entry it updates (None to create)
    and the organisations it declares conflicts with."""

    values: dict
    target_id: int | None = None
    conflict_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int
    conflicts: int
    skipped: int


IMPORTED_FIELDS = (
    "name",
    "employer",
    "title",
    "area_id",
    "specialities",
    "phone",
    "email",
    "notes",
    "user_id",
    "is_active",
)


def import_inspectors(*, actor, rows: list[PoolRow], skipped: int = 0) -> ImportCounts:
    """Write the checked rows of an import in bulk: create the entries without a target,
    overwrite the fields of the others, add the conflicts not yet declared (an import
    never withdraws one). `skipped` counts the bad rows left out, for the audit record.
    One audit record "inspector.import" with the counts. Raises PermissionDenied unless
    `actor` is provincial; ValidationError when the pool changed since the rows were
    checked (an entry gone, an account linked meanwhile): nothing is written then."""
    require_province(actor)
    try:
        return _import(actor=actor, rows=rows, skipped=skipped)
    except (IntegrityError, Inspector.DoesNotExist) as error:
        raise ValidationError(
            _("The pool changed while the file was being checked. Check the file again."), code="changed"
        ) from error


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def _import(*, actor, rows: list[PoolRow], skipped: int) -> ImportCounts:
    target_ids = sorted({row.target_id for row in rows if row.target_id is not None})
    targets = {}
    for chunk in _chunks(target_ids):
        targets.update({obj.pk: obj for obj in Inspector.objects.select_for_update().filter(pk__in=chunk)})
    now = timezone.now()
    created, updated, pending_conflicts = [], [], []
    for row in rows:
        if row.target_id is None:
            inspector = Inspector(**row.values)
            created.append(inspector)
        else:
            if row.target_id not in targets:
                raise Inspector.DoesNotExist
            inspector = targets[row.target_id]
            for name in IMPORTED_FIELDS:
                setattr(inspector, name, row.values[name])
            # bulk_update does not run auto_now.
            inspector.updated_at = now
            updated.append(inspector)
        pending_conflicts.append((inspector, row.conflict_ids))
    Inspector.objects.bulk_create(created, batch_size=BATCH_SIZE)
    Inspector.objects.bulk_update(updated, [*IMPORTED_FIELDS, "updated_at"], batch_size=BATCH_SIZE)

    declared = set()
    for chunk in _chunks(target_ids):
        declared.update(Conflict.objects.filter(inspector_id__in=chunk).values_list("inspector_id", "organisation_id"))
    conflicts = []
    for inspector, organisation_ids in pending_conflicts:
        for organisation_id in organisation_ids:
            if (inspector.pk, organisation_id) not in declared:
                declared.add((inspector.pk, organisation_id))
                conflicts.append(Conflict(inspector=inspector, organisation_id=organisation_id))
    Conflict.objects.bulk_create(conflicts, batch_size=BATCH_SIZE)

    counts = ImportCounts(created=len(created), updated=len(updated), conflicts=len(conflicts), skipped=skipped)
    record_event(
        actor=actor,
        action="inspector.import",
        details={
            "rows": len(rows) + skipped,
            "created": counts.created,
            "updated": counts.updated,
            "conflicts": counts.conflicts,
            "skipped": counts.skipped,
        },
    )
    return counts
