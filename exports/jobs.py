from django.utils.translation import gettext_lazy as _

from exports.services import JOB_KIND, run_export
from jobs.registry import job_kind


@job_kind(JOB_KIND, label=_("Excel export"), result_template="exports/includes/result.html")
def export_table(job, progress):
    run_export(job, progress)
