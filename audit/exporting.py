"""Exporting the audit administrator's search as an .xlsx file (a background job),
streamed with XlsxWriter's constant-memory mode through core.workbook."""

import json
import os
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.forms import AuditFilterForm
from audit.permissions import can_read_audit_log
from audit.selectors import search_records
from audit.services import record_event
from core.workbook import Column, Sheet, write_workbook
from jobs.models import Job
from jobs.registry import JobError
from jobs.services import result_path, start_job

EXPORT_KIND = "audit.export"
CHUNK_SIZE = 2000

COLUMNS = [
    Column(gettext_lazy("Record")),
    Column(gettext_lazy("Time")),
    Column(gettext_lazy("User name")),
    Column(gettext_lazy("Role")),
    Column(gettext_lazy("IP address")),
    Column(gettext_lazy("Action code")),
    Column(gettext_lazy("Action")),
    Column(gettext_lazy("Object type")),
    Column(gettext_lazy("Object id")),
    Column(gettext_lazy("Object")),
    Column(gettext_lazy("From")),
    Column(gettext_lazy("To")),
    Column(gettext_lazy("Result")),
    Column(gettext_lazy("Reason")),
    Column(gettext_lazy("Details")),
    Column(gettext_lazy("Hash")),
]
# Every column is text: times are written with their seconds, as the log shows them.


def start_audit_export(*, actor, form: AuditFilterForm) -> Job:
    """Queue the export of a valid search, owned by `actor` (the audit administrator
    only: PermissionDenied otherwise). Audited by the jobs app when queued and here, as
    audit.export, when the file is written."""
    if not can_read_audit_log(actor):
        raise PermissionDenied
    return start_job(kind=EXPORT_KIND, owner=actor, params=form.params())


def _rows(records):
    zone = timezone.get_current_timezone()
    results = dict(records.model.Result.choices)
    for record in records.iterator(chunk_size=CHUNK_SIZE):
        yield (
            str(record.pk),
            record.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            record.actor_name,
            record.actor_role_label,
            record.ip or "",
            record.action,
            record.action_label,
            record.object_type,
            record.object_id,
            record.object_repr,
            record.from_state_label,
            record.to_state_label,
            str(results.get(record.result, record.result)),
            record.reason,
            _details_text(record.details),
            record.hash,
        )


def _details_text(details) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True) if details else ""


def run_export(job: Job, progress) -> None:
    """Write the workbook of the search in `job.params`, checked again by the worker.
    Records one audit event audit.export with the filters and the row count."""
    owner = job.owner
    if not can_read_audit_log(owner):
        raise JobError(_("Your account may no longer read the audit log."))
    params = {key: value for key, value in job.params.items() if key != "language"}
    form = AuditFilterForm(params)
    if not form.is_valid():
        raise JobError(_("The filters of this export are no longer valid. Start a new export."))
    records = search_records(form)
    total = records.count()
    progress.stage(gettext_noop("Writing rows"), total=total)
    sheet = Sheet(title=str(gettext_lazy("Audit log")), columns=COLUMNS, count=total, rows=_rows(records))
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        rows = write_workbook(path, [sheet], unmasked=False, progress=progress.advance)
        with open(path, "rb") as file:
            job.result_file = default_storage.save(result_path(job, ".xlsx"), File(file))
    finally:
        os.unlink(path)
    job.result_name = f"{_('Audit log')}-{timezone.localdate():%Y%m%d}.xlsx"
    job.result = {"rows": rows}
    with transaction.atomic():
        record_event(actor=owner, action="audit.export", obj=job, details={"filters": form.params(), "rows": rows})
