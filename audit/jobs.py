"""Background work on the audit log: exporting a search and verifying the chain."""

from django.utils.translation import gettext_lazy as _

from audit.exporting import EXPORT_KIND, run_export
from audit.verification import VERIFY_KIND, run_verification
from jobs.registry import job_kind


@job_kind(EXPORT_KIND, label=_("Audit log export"), result_template="audit/includes/export_result.html")
def export_audit_log(job, progress):
    run_export(job, progress)


@job_kind(VERIFY_KIND, label=_("Audit log verification"), result_template="audit/includes/verify_result.html")
def verify_audit_log(job, progress):
    run_verification(job, progress)
