"""The background jobs of an import: checking a file (writes nothing), then importing
it (checks it again, then writes). Both read the workbook kept with their job."""

import io
import posixpath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from imports import services
from imports.checks import CheckReport, check_file
from imports.layouts import INSPECTORS, KINDS, OPERATORS, ORGANISATIONS, SHOWN_BAD_ROWS, UNITS
from imports.workbook import error_report, passwords_workbook
from jobs.registry import JobError, job_kind
from jobs.services import result_path

CHECK_PREFIX, IMPORT_PREFIX = "imports.check_", "imports.import_"
CHECK_LABELS = {
    ORGANISATIONS: gettext_lazy("Check an organisations file"),
    UNITS: gettext_lazy("Check a units file"),
    OPERATORS: gettext_lazy("Check a unit operators file"),
    INSPECTORS: gettext_lazy("Check an inspectors file"),
}
IMPORT_LABELS = {
    ORGANISATIONS: gettext_lazy("Import organisations"),
    UNITS: gettext_lazy("Import units"),
    OPERATORS: gettext_lazy("Import unit operators"),
    INSPECTORS: gettext_lazy("Import inspectors"),
}


def check_kind(kind: str) -> str:
    return f"{CHECK_PREFIX}{kind}"


def import_kind(kind: str) -> str:
    return f"{IMPORT_PREFIX}{kind}"


def _read_input(job) -> io.BytesIO:
    try:
        with default_storage.open(job.input_file, "rb") as stored:
            return io.BytesIO(stored.read())
    except (OSError, ValueError) as error:
        raise JobError(_("The uploaded file is no longer kept. Upload it again.")) from error


def _check(job, progress) -> CheckReport:
    kind = job.params.get("kind")
    if kind not in KINDS:
        raise JobError(_("This kind of import is not known."))
    if not services.can_import(job.owner):
        raise JobError(_("Only the provincial office may import."))
    progress.stage(gettext_noop("Reading the file"))
    try:
        return check_file(
            _read_input(job),
            kind=kind,
            started=lambda total: progress.stage(gettext_noop("Checking the rows"), total=total),
            advance=lambda done, total: progress.advance(done, total=total),
        )
    except ValidationError as error:
        raise JobError(" ".join(error.messages)) from error


def _summary(job, report: CheckReport) -> tuple[dict, list[dict]]:
    bad = [{"row": row.number, "label": row.label, "problems": row.problems} for row in report.bad]
    return {"import_kind": report.kind, **report.summary(), "bad_rows": bad[:SHOWN_BAD_ROWS]}, bad


def run_check(job, progress) -> None:
    """Check every row of the uploaded file and report the bad ones (the first
    SHOWN_BAD_ROWS in the result, all of them in a downloadable workbook). Writes nothing."""
    report = _check(job, progress)
    job.result, bad = _summary(job, report)
    if bad:
        content = error_report(bad_rows=bad)
        job.result_file = default_storage.save(result_path(job, ".xlsx"), ContentFile(content))
        stem = posixpath.splitext(job.input_name)[0] or "import"
        job.result_name = _("%(name)s-problems.xlsx") % {"name": stem}


def run_import(job, progress) -> None:
    """Check the file again (the platform may have changed since its check) and write
    its good rows: all rows must be good unless the user chose `only_good`."""
    report = _check(job, progress)
    summary = report.summary()
    only_good = bool(job.params.get("only_good"))
    if summary["bad"] and not only_good:
        job.result, _bad = _summary(job, report)
        raise JobError(
            _(
                "The platform changed since the check: %(bad)d rows cannot be imported now. Nothing was written. "
                "Upload the file again to see why."
            )
            % {"bad": summary["bad"]}
        )
    if not summary["good"]:
        raise JobError(_("No row of the file can be imported. Nothing was written."))
    progress.stage(gettext_noop("Writing"), total=summary["good"])
    try:
        written = services.write_report(
            actor=job.owner,
            report=report,
            only_good=only_good,
            update_existing=bool(job.params.get("update_existing")),
            source=job.input_name,
            advance=lambda done: progress.advance(done),
        )
    except PermissionDenied as error:
        raise JobError(_("Only the provincial office may import.")) from error
    except ValidationError as error:
        raise JobError(" ".join(error.messages)) from error
    accounts = written.pop("accounts", None)
    job.result = {"import_kind": report.kind, **summary, **written, "skipped": summary["bad"]}
    if accounts:
        job.result_file = default_storage.save(result_path(job, ".xlsx"), ContentFile(passwords_workbook(accounts)))
        job.result_name = _("initial passwords of unit accounts.xlsx")


for _kind in KINDS:
    job_kind(check_kind(_kind), label=CHECK_LABELS[_kind], result_template="imports/includes/check_result.html")(
        run_check
    )
    job_kind(
        import_kind(_kind),
        label=IMPORT_LABELS[_kind],
        result_template="imports/includes/import_result.html",
        rerun_when_interrupted=False,
    )(run_import)
