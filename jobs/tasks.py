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


@task(takes_context=True)
def run_job(context, job_id: int, attempt: int = 1) -> str:
    """Run the run `attempt` of job `job_id` to its end and record how it ended; returns
    the job's state.

    Never raises for the job's own failure: the user reads it on the job's page, and the
    queue must not retry an import that already failed on its content."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.attempt != attempt or job.is_finished:
        # Deleted, a run replaced by a newer one, or a second delivery of one that has run.
        return job.state if job else ""
    worker_ids = context.task_result.worker_ids
    if not services.mark_running(job, worker_id=worker_ids[-1] if worker_ids else ""):
        return job.state
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
