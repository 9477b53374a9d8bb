from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from audit.services import apply_changes, record_event
from core.concurrency import check_unchanged
from organisations import permissions
from organisations.models import ALLOWED_PARENT_KINDS, Kind, Organisation, Status

EDITABLE_FIELDS = (
    "name",
    "kind",
    "parent",
    "sector",
    "address",
    "region_code",
    "contact_name",
    "contact_phone",
    "code",
)


def path_for(*, pk: int, parent: Organisation | None) -> str:
    return f"{parent.path if parent else ''}{pk}/"


def validate_placement(*, kind: str, parent: Organisation | None) -> None:
    """Where a kind may hang in the tree, raised as a field error."""
    errors = {}
    allowed = ALLOWED_PARENT_KINDS[kind]
    if kind == Kind.PROVINCE and parent is not None:
        errors["parent"] = _("The province is the root of the tree and has no parent.")
    elif kind != Kind.PROVINCE and (parent is None or parent.kind not in allowed):
        errors["parent"] = _("This kind of organisation cannot be placed there.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organisation(*, actor, status: str = Status.ACTIVE, **fields) -> Organisation:
    """Create an organisation below `fields['parent']`. Raises PermissionDenied when
    `actor` may not add there, ValidationError on a bad placement or field."""
    parent = fields.get("parent")
    if actor is not None and not (parent and permissions.can_create_below(actor, parent)):
        raise PermissionDenied
    if actor is not None and fields.get("kind") not in permissions.creatable_kinds(actor):
        raise ValidationError({"kind": _("You may not create this kind of organisation.")})
    validate_placement(kind=fields.get("kind"), parent=parent)
    organisation = Organisation(status=status, **fields)
    organisation.full_clean(exclude=["path"])
    organisation.save()
    organisation.path = path_for(pk=organisation.pk, parent=parent)
    organisation.depth = organisation.path.count("/") - 1
    organisation.save(update_fields=["path", "depth"])
    record_event(actor=actor, action="organisation.create", obj=organisation, to_state=organisation.status)
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, edit_token: str | None = None, **fields) -> Organisation:
    """Change an organisation's fields; moving it moves its whole subtree. Raises
    EditConflict when `edit_token` (from the edit form) shows the fields changed since."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not permissions.can_manage_organisation(actor, organisation):
        raise PermissionDenied
    check_unchanged(organisation, token=edit_token, values=fields)
    new_parent = fields.get("parent", organisation.parent)
    if new_parent is not None and organisation.contains(new_parent):
        raise ValidationError({"parent": _("An organisation cannot be moved below itself.")})
    if new_parent != organisation.parent and not permissions.can_create_below(actor, new_parent):
        raise ValidationError({"parent": _("You may not move the organisation there.")})
    kind = fields.get("kind", organisation.kind)
    if kind != organisation.kind and organisation.children.exists() and kind == Kind.UNIT:
        raise ValidationError({"kind": _("An organisation with organisations below it cannot become a unit.")})
    validate_placement(kind=kind, parent=new_parent)
    changed = apply_changes(organisation, names=EDITABLE_FIELDS, values=fields)
    organisation.full_clean()
    old_path = organisation.path
    organisation.save()
    if "parent" in changed:
        new_path = path_for(pk=organisation.pk, parent=new_parent)
        # One UPDATE rewrites every path of the subtree whatever its size.
        Organisation.objects.within_path(old_path).update(
            path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1))
        )
        _refresh_depths(new_path)
        organisation.refresh_from_db()
    if changed:
        record_event(actor=actor, action="organisation.update", obj=organisation, details={"changed": changed})
    return organisation


def _refresh_depths(prefix: str) -> None:
    """Depth is the number of separators minus one; recomputed for a moved subtree."""
    nodes = list(Organisation.objects.within_path(prefix).only("pk", "path"))
    for node in nodes:
        node.depth = node.path.count("/") - 1
    Organisation.objects.bulk_update(nodes, ["depth"], batch_size=1000)


@transaction.atomic
def approve_registration(*, actor, organisation: Organisation) -> Organisation:
    """Accept a self-registered unit: it and its operator may sign in from now on."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not permissions.can_review_registration(actor, organisation):
        raise PermissionDenied
    if organisation.status != Status.PENDING:
        raise ValidationError(_("This registration has already been decided."))
    organisation.status = Status.ACTIVE
    organisation.refusal_reason = ""
    organisation.save(update_fields=["status", "refusal_reason"])
    record_event(
        actor=actor, action="organisation.approve", obj=organisation, from_state=Status.PENDING, to_state=Status.ACTIVE
    )
    return organisation


@transaction.atomic
def refuse_registration(*, actor, organisation: Organisation, reason: str) -> Organisation:
    """Refuse a self-registered unit; the reason is shown to it when it tries to sign in."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not permissions.can_review_registration(actor, organisation):
        raise PermissionDenied
    if organisation.status != Status.PENDING:
        raise ValidationError(_("This registration has already been decided."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the refusal.")})
    organisation.status = Status.REFUSED
    organisation.refusal_reason = reason
    organisation.save(update_fields=["status", "refusal_reason"])
    record_event(
        actor=actor,
        action="organisation.refuse",
        obj=organisation,
        from_state=Status.PENDING,
        to_state=Status.REFUSED,
        reason=reason,
    )
    return organisation
