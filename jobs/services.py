"""Starting, running and ending background jobs. Every change of a job's state is one
audit record; the owner is told in the platform when its job ends."""

import uuid
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from jobs.models import Job
from jobs.registry import kind_of
from notifications.services import notify

INPUT_FOLDER = "jobs/inputs"
RESULT_FOLDER = "jobs/results"


def _enqueue(job: Job) -> None:
    # Imported here: jobs.tasks imports this module.
    from jobs.tasks import run_job

    job.task_id = str(run_job.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])


@transaction.atomic
def start_job(*, kind: str, owner, params: dict | None = None, upload=None) -> Job:
    """Queue a job of registered `kind` for `owner`, with `params` (JSON) and an uploaded
    file kept in storage for the worker. The queue's row is written in the same
    transaction, so a job is queued exactly when it is saved. Audited as job.start.
    Raises JobError for an unknown kind."""
    kind_of(kind)
    job = Job(kind=kind, owner=owner, params={**(params or {}), "language": translation.get_language()})
    if upload is not None:
        job.input_name = PurePath(upload.name or "upload").name[:255]
        suffix = PurePath(job.input_name).suffix.lower()[:10]
        job.input_file = default_storage.save(f"{INPUT_FOLDER}/{uuid.uuid4().hex}{suffix}", upload)
    job.save()
    _enqueue(job)
    record_event(actor=owner, action="job.start", obj=job, to_state=job.state, details={"kind": kind})
    return job


@transaction.atomic
def restart_job(*, job: Job, actor) -> Job:
    """Queue again a job that failed or lost its worker; only its owner may. Audited."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not can_restart(actor, job):
        raise PermissionError("only the owner restarts a failed or interrupted job")
    before = job.state
    job.state, job.stage, job.done, job.error = Job.State.QUEUED, "", 0, ""
    job.result, job.result_file, job.result_name = {}, "", ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.save()
    _enqueue(job)
    record_event(actor=actor, action="job.restart", obj=job, from_state=before, to_state=job.state)
    return job


def can_restart(user, job: Job) -> bool:
    return user.pk == job.owner_id and (job.state == Job.State.FAILED or job.is_interrupted)


def mark_running(job: Job) -> None:
    now = timezone.now()
    with transaction.atomic():
        job.state, job.started_at, job.heartbeat_at = Job.State.RUNNING, now, now
        job.save(update_fields=["state", "started_at", "heartbeat_at"])
        record_event(
            actor=job.owner, action="job.run", obj=job, from_state=Job.State.QUEUED, to_state=Job.State.RUNNING
        )


def unexpected_failure_message(job: Job) -> str:
    return _(
        "The job stopped on an unexpected error and changed nothing more. Start it again; if it fails again, "
        "tell the platform's administrator the job number %(number)s."
    ) % {"number": job.pk}


def result_path(job: Job, suffix: str) -> str:
    """Where a job's result file goes in storage."""
    return f"{RESULT_FOLDER}/{job.pk}-{uuid.uuid4().hex}{suffix}"


@transaction.atomic
def finish_job(job: Job, *, failed_because: str = "") -> None:
    """Record the end of a running job (the handler's result fields included), audit it
    and tell the owner."""
    job.state = Job.State.FAILED if failed_because else Job.State.SUCCEEDED
    job.error = failed_because
    job.finished_at = job.heartbeat_at = timezone.now()
    if not failed_because and job.total:
        job.done = job.total
    job.save()
    record_event(
        actor=job.owner,
        action="job.finish",
        obj=job,
        from_state=Job.State.RUNNING,
        to_state=job.state,
        reason=failed_because,
    )
    title = (_("Your job “%(label)s” failed") if failed_because else _("Your job “%(label)s” has finished")) % {
        "label": job.label
    }
    notify(
        recipients=[job.owner],
        title=title,
        url=reverse("jobs:detail", args=[job.pk]),
        kind="job.finished",
        email=False,
    )
