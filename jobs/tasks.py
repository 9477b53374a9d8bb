"""The one task the queue runs: a Job of any registered kind, by its key."""

import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

from jobs import services
from jobs.models import Job
from jobs.progress import Progress
from jobs.registry import JobError, kind_of

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: int) -> str:
    """Run job `job_id` to its end and record how it ended; returns the final state.

    Never raises for the job's own failure: the user reads it on the job's page, and the
    queue must not retry an import that already failed on its content."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        # Deleted, or a second delivery of a job that has already run.
        return job.state if job else ""
    services.mark_running(job)
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            handler = kind_of(job.kind).handler
            handler(job, Progress(job))
        except JobError as error:
            services.finish_job(job, failed_because=str(error))
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            services.finish_job(job, failed_because=services.unexpected_failure_message(job))
        else:
            services.finish_job(job)
    return job.state
