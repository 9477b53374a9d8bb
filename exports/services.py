"""Starting an export and making its workbook (the job's work)."""

import os
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from core.workbook import write_workbook
from exports.forms import ExportForm, form_from_params
from exports.permissions import can_export, can_export_unmasked
from exports.tables import TABLES
from jobs.models import Job
from jobs.registry import JobError
from jobs.services import result_path, start_job

JOB_KIND = "exports.table"


def start_export(*, actor, form: ExportForm) -> Job:
    """Queue the export a valid ExportForm describes, owned by `actor`. Raises
    PermissionDenied for a role that may not export. The job's start is audited by the
    jobs app; the export itself is audited when the worker has written it."""
    if not can_export(actor):
        raise PermissionDenied
    return start_job(kind=JOB_KIND, owner=actor, params=form.params())


def run_export(job: Job, progress) -> None:
    """Write the workbook of `job`: the owner's scope as it is now (the worker's view,
    not the one of the moment it was queued), its filters checked again. Records one
    audit event "export.table" with the table, the filters, the row count and whether
    phone numbers were left whole. Raises JobError when the owner may no longer export
    or a filter no longer lies in its scope."""
    owner = job.owner
    if not can_export(owner):
        raise JobError(_("Your account may no longer export these tables."))
    form = form_from_params(job.params, user=owner)
    # A filter the owner's role no longer offers (an area, once moved to an association)
    # is refused rather than dropped: the file would not be what was asked for.
    dropped = [key for key in ("area",) if job.params.get(key) and key not in form.fields]
    if dropped or not form.is_valid():
        raise JobError(_("The filters of this export are no longer valid for your account. Start a new export."))
    table = TABLES[form.cleaned_data["table"]]
    unmasked = can_export_unmasked(owner)
    today = timezone.localdate()
    sheets = table.sheets(owner, form.filters(), today)
    total = sum(sheet.count for sheet in sheets)
    progress.stage(gettext_noop("Writing rows"), total=total)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        rows = write_workbook(path, sheets, unmasked=unmasked, progress=progress.advance)
        with open(path, "rb") as file:
            job.result_file = default_storage.save(result_path(job, ".xlsx"), File(file))
    finally:
        os.unlink(path)
    job.result_name = f"{table.label}-{today:%Y%m%d}.xlsx"
    job.result = {"table": table.key, "rows": rows, "masked": not unmasked}
    with transaction.atomic():
        record_event(
            actor=owner,
            action="export.table",
            obj=job,
            details={"table": table.key, "filters": form.params(), "rows": rows, "masked": not unmasked},
        )
