"""A job whose worker was lost (killed, machine gone) runs again to completion, once
(issue 8, control 5): jobs.workers notices the loss, jobs.services.recover_job queues the
job again, and the lost run can no longer write."""

import os
import subprocess
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditRecord
from jobs import services, workers
from jobs.models import Job, Worker
from jobs.progress import Progress
from jobs.registry import job_kind
from jobs.services import start_job
from jobs.testing import run_queued_jobs
from notifications.models import Notification
from tests.jobs import kinds  # noqa: F401 -- registers the test kinds

pytestmark = pytest.mark.django_db

LOST = "lost-worker"


@job_kind("tests.write_rows", label="Write rows", rerun_when_interrupted=False)
def write_rows(job, progress):
    job.result = {"written": 1}


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running_on_lost_worker(job: Job, *, host: str | None = None, seen_seconds_ago: int = 0) -> Job:
    """The state a worker killed in the middle of `job` leaves: the queue's row and the job
    running on it, its row in jobs.Worker, its process gone."""
    Worker.objects.create(
        worker_id=LOST,
        host=host or workers.host_name(),
        pid=dead_pid(),
        process_started=1,
        seen_at=timezone.now() - timedelta(seconds=seen_seconds_ago),
    )
    DBTaskResult.objects.get(pk=job.task_id).claim(LOST)
    assert services.mark_running(job, worker_id=LOST)
    Progress(job).stage("writing", total=10)
    return job


def actions(job: Job) -> list[tuple[str, str]]:
    records = AuditRecord.objects.filter(object_id=str(job.pk), object_type="jobs.job").order_by("pk")
    return list(records.values_list("action", "to_state"))


def test_lost_workers_job_is_queued_again_and_completes_once(world):
    job = running_on_lost_worker(start_job(kind="tests.count", owner=world.province_staff, params={"n": 4}))
    lost_task = job.task_id

    assert workers.recover_lost_workers(me="alive", judge_silence=False) == [(job.pk, Job.State.QUEUED)]

    job.refresh_from_db()
    assert (job.state, job.attempt, job.worker_id, job.done, job.lost_workers) == (Job.State.QUEUED, 2, "", 0, 1)
    assert DBTaskResult.objects.get(pk=lost_task).status == "FAILED"
    assert not Worker.objects.filter(worker_id=LOST).exists()
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.result) == (Job.State.SUCCEEDED, {"counted": 4})
    assert actions(job) == [
        ("job.start", "queued"),
        ("job.run", "running"),
        ("job.requeue", "queued"),
        ("job.run", "running"),
        ("job.finish", "succeeded"),
    ]
    assert Notification.objects.filter(recipient=world.province_staff, kind="job.finished").count() == 1
    requeue = AuditRecord.objects.get(action="job.requeue")
    assert (requeue.actor, requeue.details) == (None, {"worker": LOST, "attempt": 2})


def test_lost_run_that_comes_back_cannot_finish_or_write_progress(world):
    job = running_on_lost_worker(start_job(kind="tests.count", owner=world.province_staff, params={"n": 4}))
    lost_run = Job.objects.get(pk=job.pk)
    workers.recover_lost_workers(me="alive", judge_silence=False)

    # The lost run was only slow: it writes progress, saves its file and tries to finish.
    Progress(lost_run).advance(9, force=True)
    lost_run.result_file = default_storage.save("jobs/results/stale.txt", ContentFile(b"4"))
    assert services.finish_job(lost_run) is False

    assert not default_storage.exists(lost_run.result_file)
    job.refresh_from_db()
    assert (job.state, job.done, job.attempt, job.result_file) == (Job.State.QUEUED, 0, 2, "")
    # Its task, delivered again, does not start the job either.
    assert services.mark_running(lost_run, worker_id=LOST) is False
    assert [action for action, _ in actions(job)].count("job.finish") == 0


def test_import_whose_worker_is_lost_fails_with_what_to_check(world):
    job = running_on_lost_worker(start_job(kind="tests.write_rows", owner=world.province_staff))

    assert workers.recover_lost_workers(me="alive", judge_silence=False) == [(job.pk, Job.State.FAILED)]

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "部分数据行可能已经写入" in job.error
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    assert actions(job)[-1] == ("job.finish", "failed")


def test_job_that_loses_its_worker_three_times_is_given_up(world):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    for round_ in range(1, services.MAX_LOST_WORKERS + 1):
        job.refresh_from_db()
        running_on_lost_worker(job)
        workers.recover_lost_workers(me="alive", judge_silence=False)
        job.refresh_from_db()
        assert job.lost_workers == round_
    assert job.state == Job.State.FAILED
    assert str(job.pk) in job.error
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_owners_restart_gives_the_job_its_lost_workers_back(world):
    job = running_on_lost_worker(start_job(kind="tests.count", owner=world.province_staff, params={"n": 1}))
    workers.recover_lost_workers(me="alive", judge_silence=False)
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
    job.refresh_from_db()

    services.restart_job(job=job, actor=world.province_staff)

    job.refresh_from_db()
    assert (job.state, job.lost_workers, job.attempt) == (Job.State.QUEUED, 0, 3)


def test_silent_worker_elsewhere_is_lost_only_to_a_worker_beating_steadily(world):
    job = running_on_lost_worker(
        start_job(kind="tests.count", owner=world.province_staff, params={"n": 1}),
        host="another-machine",
        seen_seconds_ago=workers.LOST_AFTER_SECONDS + 5,
    )

    # Just back from a database outage, every row looks old: judge nobody.
    assert workers.recover_lost_workers(me="alive", judge_silence=False) == []
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING

    assert workers.recover_lost_workers(me="alive", judge_silence=True) == [(job.pk, Job.State.QUEUED)]


def test_worker_seen_recently_elsewhere_or_alive_here_is_not_lost(world):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    Worker.objects.create(worker_id="elsewhere", host="another-machine", pid=1, seen_at=timezone.now())
    me = workers.register("me")
    DBTaskResult.objects.get(pk=job.task_id).claim("elsewhere")
    services.mark_running(job, worker_id="elsewhere")

    assert workers.recover_lost_workers(me="someone", judge_silence=True) == []
    assert me.pid == os.getpid()
    assert Worker.objects.count() == 2


def test_pid_given_to_another_process_is_not_the_worker(world):
    worker = Worker.objects.create(
        worker_id="reused", host=workers.host_name(), pid=os.getpid(), process_started=1, seen_at=timezone.now()
    )
    assert workers.is_lost(worker, now=timezone.now(), judge_silence=False)
    worker.process_started = workers.process_started(os.getpid())
    assert not workers.is_lost(worker, now=timezone.now(), judge_silence=False)


def test_job_silent_for_long_without_a_known_worker_is_recovered(world):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    DBTaskResult.objects.get(pk=job.task_id).claim("test-thread")
    services.mark_running(job, worker_id="test-thread")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    assert workers.recover_lost_workers(me="alive", judge_silence=False) == []
    assert workers.recover_lost_workers(me="alive", judge_silence=True) == [(job.pk, Job.State.QUEUED)]


def test_worker_that_was_forgotten_registers_again_on_its_next_beat(world):
    workers.beat("back-again")
    assert Worker.objects.filter(worker_id="back-again", pid=os.getpid()).exists()


@pytest.mark.django_db(transaction=True)
def test_jobs_worker_command_runs_the_queue_recovers_a_lost_workers_job_and_leaves_no_row(world):
    from django.core.management import call_command

    job = running_on_lost_worker(start_job(kind="tests.count", owner=world.province_staff, params={"n": 3}))
    # The command's watch looks for lost workers as it starts; the job is queued again
    # and, in batch mode, the worker runs it and stops once the queue is empty.
    call_command("jobs_worker", "--batch", "--no-startup-delay", "--interval", "0.1", "-v", "0")
    deadline = timezone.now() + timedelta(seconds=20)
    while Job.objects.get(pk=job.pk).state != Job.State.SUCCEEDED and timezone.now() < deadline:
        call_command("jobs_worker", "--batch", "--no-startup-delay", "--interval", "0.1", "-v", "0")
    job.refresh_from_db()
    assert (job.state, job.attempt) == (Job.State.SUCCEEDED, 2)
    assert Worker.objects.count() == 0


def test_job_page_says_the_job_was_started_again_until_it_ends(world, client_for):
    job = running_on_lost_worker(start_job(kind="tests.count", owner=world.province_staff, params={"n": 2}))
    workers.recover_lost_workers(me="alive", judge_silence=False)
    client = client_for(world.province_staff)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-rerun"' in page

    run_queued_jobs()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-rerun"' not in page
