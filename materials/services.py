"""Every write of the materials app: upload, replace and remove a unit's files.

Each service checks materials.permissions.can_change_materials (PermissionDenied
otherwise), refuses bad input with a ValidationError keyed by field ("file",
"indicator", "title") and changes nothing then, and writes one audit record in the
transaction of its change. Files are checked and stored (materials.uploads) before that
transaction; when it fails they are deleted again, so a failed or interrupted upload
leaves neither a half record nor an orphan file. (A crash between the two is what
`sweep_orphan_files` cleans up.)

Call the upload services outside any transaction of your own: a rollback of an outer
transaction would undo the rows but could not delete the files already stored.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from campaigns.models import Campaign, Indicator
from materials import permissions, uploads
from materials.models import Kind, Material, MaterialVersion
from organisations.models import Organisation

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = Material._meta.get_field("title").max_length


def _require_change(actor, unit, campaign) -> None:
    if not permissions.can_change_materials(actor, unit, campaign):
        raise PermissionDenied


def _work_summary_exists(*, unit, campaign) -> bool:
    return Material.objects.current().filter(unit=unit, campaign=campaign, kind=Kind.WORK_SUMMARY).exists()


def _work_summary_error() -> ValidationError:
    return ValidationError(
        {"file": ValidationError(_("This unit already has a work summary: replace its file instead."), code="exists")}
    )


def _validate_material(*, campaign: Campaign, kind: str, indicator: Indicator | None, title: str) -> dict:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [ValidationError(_("Choose what kind of material this is."), code="kind")]
    elif kind == Kind.EVIDENCE and indicator is None:
        errors["indicator"] = [ValidationError(_("Choose the indicator this evidence is for."), code="indicator")]
    elif kind != Kind.EVIDENCE and indicator is not None:
        errors["indicator"] = [ValidationError(_("Only evidence belongs to an indicator."), code="indicator")]
    elif indicator is not None and indicator.category.version.campaign_id != campaign.pk:
        errors["indicator"] = [
            ValidationError(_("This indicator is not part of the campaign's standard."), code="indicator_campaign")
        ]
    if len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            ValidationError(
                _("A title may have at most %(limit)s characters."),
                code="title_length",
                params={"limit": TITLE_MAX_LENGTH},
            )
        ]
    return errors


def _create_version(*, material: Material, number: int, stored: uploads.StoredFile, actor) -> MaterialVersion:
    version = MaterialVersion(
        material=material,
        number=number,
        file=stored.name,
        original_name=stored.checked.original_name,
        size=stored.size,
        content_type=stored.checked.file_type.content_type,
        sha256=stored.sha256,
        thumbnail=stored.thumbnail,
        uploaded_by=actor,
    )
    version.full_clean(exclude=["material"])
    version.save()
    return version


def _file_details(version: MaterialVersion) -> dict:
    return {
        "version": version.number,
        "version_id": version.pk,
        "file": version.original_name,
        "size": version.size,
        "sha256": version.sha256,
    }


def upload_material(
    *,
    actor,
    unit: Organisation,
    campaign: Campaign,
    kind: str,
    file,
    indicator: Indicator | None = None,
    title: str = "",
) -> MaterialVersion:
    """Create a material of `unit` for `campaign` with `file` as its version 1, and
    return that version. `indicator` is required for evidence and refused otherwise; a
    unit has one work summary per campaign (a second one is refused: replace it). The
    title defaults to the file's name without its extension. Audited as
    "material.upload"."""
    _require_change(actor, unit, campaign)
    title = title.strip()
    errors = _validate_material(campaign=campaign, kind=kind, indicator=indicator, title=title)
    if kind == Kind.WORK_SUMMARY and not errors and _work_summary_exists(unit=unit, campaign=campaign):
        # Checked before storing, so that a refused file costs no copy; checked again
        # under the lock below, where it counts.
        raise _work_summary_error()
    try:
        checked = uploads.check_file(file)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    stored = uploads.store(checked)
    try:
        with transaction.atomic():
            # One unit's uploads one at a time: the work-summary rule below cannot race.
            Organisation.objects.select_for_update().only("pk").get(pk=unit.pk)
            if kind == Kind.WORK_SUMMARY and _work_summary_exists(unit=unit, campaign=campaign):
                raise _work_summary_error()
            material = Material(
                unit=unit,
                campaign=campaign,
                kind=kind,
                indicator=indicator,
                title=title or checked.stem[:TITLE_MAX_LENGTH],
                created_by=actor,
            )
            material.full_clean(exclude=["current_version"])
            material.save()
            version = _create_version(material=material, number=1, stored=stored, actor=actor)
            material.current_version = version
            material.save(update_fields=["current_version"])
            record_event(
                actor=actor,
                action="material.upload",
                obj=material,
                details={
                    "kind": kind,
                    "unit": unit.pk,
                    "campaign": campaign.pk,
                    "indicator": indicator.pk if indicator else None,
                    **_file_details(version),
                },
            )
    except BaseException:
        uploads.discard(stored.names)
        raise
    return version


def replace_material(*, actor, material: Material, file) -> MaterialVersion:
    """Add `file` as the next version of `material` and make it the current one; every
    earlier version stays as it was, downloadable. A removed material cannot be
    replaced. Audited as "material.replace" with the version numbers before and after."""
    _require_change(actor, material.unit, material.campaign)
    if material.removed:
        raise _removed_error()
    checked = uploads.check_file(file)
    stored = uploads.store(checked)
    try:
        with transaction.atomic():
            # The lock makes two replacements of one material take turns: numbers never clash.
            locked = Material.objects.select_for_update().get(pk=material.pk)
            if locked.removed:
                raise _removed_error()
            previous = locked.versions.aggregate(last=Max("number"))["last"] or 0
            version = _create_version(material=locked, number=previous + 1, stored=stored, actor=actor)
            locked.current_version = version
            locked.save(update_fields=["current_version"])
            record_event(
                actor=actor,
                action="material.replace",
                obj=locked,
                from_state=f"v{previous}",
                to_state=f"v{version.number}",
                details={"kind": locked.kind, **_file_details(version)},
            )
    except BaseException:
        uploads.discard(stored.names)
        raise
    material.current_version = version
    return version


def _removed_error() -> ValidationError:
    return ValidationError({"file": ValidationError(_("This material has been removed."), code="removed")})


@transaction.atomic
def remove_material(*, actor, material: Material) -> Material:
    """Take `material` off the unit's current lists. Nothing is deleted: its versions
    stay downloadable for whoever may see the application snapshots that cite them.
    Removing twice is refused. Audited as "material.remove"."""
    _require_change(actor, material.unit, material.campaign)
    locked = Material.objects.select_for_update().get(pk=material.pk)
    if locked.removed:
        raise ValidationError(_("This material has already been removed."), code="removed")
    locked.removed_at = timezone.now()
    locked.removed_by = actor
    locked.save(update_fields=["removed_at", "removed_by"])
    record_event(
        actor=actor,
        action="material.remove",
        obj=locked,
        from_state="current",
        to_state="removed",
        details={"kind": locked.kind, "versions": locked.versions.count()},
    )
    return locked


def sweep_orphan_files(*, older_than: datetime.timedelta, dry_run: bool = False) -> list[str]:
    """Delete the stored files of uploads that never got their row: what a process
    killed between storing a file and committing its version leaves behind. Only
    folders whose files are all older than `older_than` are touched, so an upload in
    progress is never swept. Returns the storage names deleted (or, with `dry_run`,
    those that would be)."""
    cutoff = timezone.now() - older_than
    known = {name.split("/")[1] for name in MaterialVersion.objects.values_list("file", flat=True).iterator()}
    swept = []
    try:
        folders, _files = default_storage.listdir(uploads.FOLDER)
    except FileNotFoundError:
        return []
    for folder in folders:
        if folder in known:
            continue
        names = [
            f"{uploads.FOLDER}/{folder}/{name}" for name in default_storage.listdir(f"{uploads.FOLDER}/{folder}")[1]
        ]
        if all(default_storage.get_modified_time(name) < cutoff for name in names):
            swept.extend(names)
    if not dry_run:
        uploads.discard(swept)
        logger.info("swept %s orphan material files", len(swept))
    return swept
