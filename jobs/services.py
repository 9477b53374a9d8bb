"""Starting, running and ending background jobs. Every change of a job's state is one
audit record; the owner is told in the platform when its job ends."""

import uuid
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from jobs.models import Job
from jobs.registry import kind_of
from notifications.services import notify, translatable

INPUT_FOLDER = "jobs/inputs"
# Workers a job may lose before it is given up: one whose every run kills its worker
# (out of memory, say) must not take the queue for ever.
MAX_LOST_WORKERS = 3
RESULT_FOLDER = "jobs/results"


def _enqueue(job: Job) -> None:
    # Imported here: jobs.tasks imports this module.
    from jobs.tasks import run_job

    job.task_id = str(run_job.enqueue(job.pk, job.attempt).id)
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
    job.lost_workers = 0
    _queue_again(job)
    record_event(actor=actor, action="job.restart", obj=job, from_state=before, to_state=job.state)
    return job


def _queue_again(job: Job) -> None:
    """Back to the queue as a new run, its earlier run's progress and result forgotten."""
    job.state, job.stage, job.done, job.error = Job.State.QUEUED, "", 0, ""
    job.result, job.result_file, job.result_name = {}, "", ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.attempt += 1
    job.worker_id = ""
    job.save()
    _enqueue(job)


def can_restart(user, job: Job) -> bool:
    return user.pk == job.owner_id and (job.state == Job.State.FAILED or job.is_interrupted)


@transaction.atomic
def mark_running(job: Job, *, worker_id: str = "") -> bool:
    """Take the queued run `job.attempt` of `job` for worker `worker_id`. False, and
    nothing written, when that run is not waiting any more: a second delivery of its
    task, or a run replaced by a newer one."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED, attempt=job.attempt).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker_id=worker_id
    )
    if not taken:
        return False
    job.state, job.started_at, job.heartbeat_at, job.worker_id = Job.State.RUNNING, now, now, worker_id
    record_event(
        actor=job.owner,
        action="job.run",
        obj=job,
        from_state=Job.State.QUEUED,
        to_state=Job.State.RUNNING,
        details={"attempt": job.attempt},
    )
    return True


def unexpected_failure_message(job: Job) -> str:
    return _(
        "The job stopped on an unexpected error and changed nothing more. Start it again; if it fails again, "
        "tell the platform's administrator the job number %(number)s."
    ) % {"number": job.pk}


def result_path(job: Job, suffix: str) -> str:
    """Where a job's result file goes in storage."""
    return f"{RESULT_FOLDER}/{job.pk}-{uuid.uuid4().hex}{suffix}"


@transaction.atomic
def finish_job(job: Job, *, failed_because: str = "") -> bool:
    """Record the end of a running job (the handler's result fields included), audit it
    and tell the owner. False, and nothing recorded, when this run is no longer the job's
    own (its worker was taken for lost and the job queued again): the newer run finishes
    it, and the file this one made is deleted."""
    current = Job.objects.select_for_update().filter(pk=job.pk).values_list("state", "attempt").first()
    if current != (Job.State.RUNNING, job.attempt):
        if job.result_file:
            default_storage.delete(job.result_file)
        return False
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
    template = (
        gettext_lazy("Your job “%(label)s” failed")
        if failed_because
        else gettext_lazy("Your job “%(label)s” has finished")
    )
    title = translatable(template, label=job.label)
    notify(
        recipients=[job.owner],
        title=title,
        url=reverse("jobs:detail", args=[job.pk]),
        kind="job.finished",
        email=False,
    )
    return True


@transaction.atomic
def recover_job(*, job_id: int, lost_worker: str) -> str:
    """The worker `lost_worker` was lost while it ran job `job_id`: queue the job again as
    a new run when its kind may run again and it has runs left, else record it as failed
    with what the user should do. Returns the job's new state ("" when the job was not
    that worker's any more). Audited as job.requeue or job.finish, the actor being the
    platform itself."""
    from django_tasks_db.models import DBTaskResult

    job = Job.objects.select_for_update(of=("self",)).select_related("owner").filter(pk=job_id).first()
    if job is None or job.state != Job.State.RUNNING or job.worker_id != lost_worker:
        return ""
    # The queue's own row of the lost run stays "running" for ever otherwise.
    DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="jobs.workers.WorkerLost",
        traceback=f"The worker {lost_worker} was lost while it ran this task.",
    )
    if not kind_of(job.kind).rerun_when_interrupted:
        job.error = _(
            "The job's worker stopped while it was writing: part of the rows may have been written. "
            "Look at what is on the platform now before you upload the file again."
        )
    elif job.lost_workers + 1 >= MAX_LOST_WORKERS:
        job.error = _(
            "The job lost its worker %(count)d times and was given up. Tell the platform's administrator "
            "the job number %(number)s."
        ) % {"count": job.lost_workers + 1, "number": job.pk}
    job.lost_workers += 1
    if job.error:
        # finish_job's record of a failed run, as for a handler's error.
        finish_job(job, failed_because=job.error)
        return job.state
    _queue_again(job)
    record_event(
        actor=None,
        action="job.requeue",
        obj=job,
        from_state=Job.State.RUNNING,
        to_state=job.state,
        reason=_("Its worker was lost."),
        details={"worker": lost_worker, "attempt": job.attempt},
    )
    return job.state
