"""Noticing a lost job worker and giving its job to another.

django-tasks' database queue marks a task "running" when a worker takes it and leaves it
so when that worker is killed: nothing would ever run it again. So each worker of
`manage.py jobs_worker` has a row (jobs.Worker) that a thread of its process brings up to
date every BEAT_SECONDS; the same thread looks every REAP_SECONDS for lost workers and
hands their jobs to jobs.services.recover_job, which queues them again (or fails an import,
which may not run twice). A worker is lost when:

- it ran on this machine and its process is gone (a restarted worker sees the one it
  replaces at once), or
- it has not been seen for LOST_AFTER_SECONDS, on any machine. A worker only judges so
  after it has itself been writing its beats for that long: after a database outage every
  row looks old, and nobody must be taken for lost for an outage all of them went through.

A worker thought lost that was only slow cannot finish its job twice: its run's number
(Job.attempt) is no longer the job's, and its writes are refused.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from jobs import services
from jobs.models import HEARTBEAT_TIMEOUT_SECONDS, Job, Worker

logger = logging.getLogger(__name__)

BEAT_SECONDS = 5
REAP_SECONDS = 10
LOST_AFTER_SECONDS = 30


def host_name() -> str:
    return socket.gethostname()[:255]


def process_started(pid: int) -> int | None:
    """When process `pid` started (clock ticks after boot), or None when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    # After the name: state is field 3 of proc(5), starttime field 22.
    if fields[0] == "Z":
        return None
    return int(fields[19])


def register(worker_id: str) -> Worker:
    pid = os.getpid()
    worker, _created = Worker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": host_name(),
            "pid": pid,
            "process_started": process_started(pid) or 0,
            "seen_at": timezone.now(),
        },
    )
    return worker


def beat(worker_id: str) -> None:
    if not Worker.objects.filter(worker_id=worker_id).update(seen_at=timezone.now()):
        # Taken for lost while it was cut off: it is back (its old run's writes are refused).
        register(worker_id)


def forget(worker_id: str) -> None:
    """The worker stops of its own accord: it finished its task first, so nothing is left."""
    Worker.objects.filter(worker_id=worker_id).delete()


def is_lost(worker: Worker, *, now, judge_silence: bool) -> bool:
    if worker.host == host_name():
        started = process_started(worker.pid)
        if started is None or (worker.process_started and started != worker.process_started):
            return True
    return judge_silence and now - worker.seen_at > timedelta(seconds=LOST_AFTER_SECONDS)


def recover_lost_workers(*, me: str, judge_silence: bool) -> list[tuple[int, str]]:
    """Queue again (or fail) the jobs of every lost worker but `me`, and forget those
    workers; returns (job, its new state) of each job recovered."""
    now = timezone.now()
    workers = list(Worker.objects.exclude(worker_id=me))
    lost = [worker.worker_id for worker in workers if is_lost(worker, now=now, judge_silence=judge_silence)]
    running = Job.objects.filter(state=Job.State.RUNNING, worker_id__in=lost)
    if judge_silence:
        # A job of a worker that had no row (a worker of another kind, or one forgotten
        # already) is lost when its own progress has been silent for long.
        silent = now - timedelta(seconds=HEARTBEAT_TIMEOUT_SECONDS)
        running = running | Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=silent).exclude(
            worker_id__in=[me, *[worker.worker_id for worker in workers]]
        )
    recovered = []
    for job_id, worker_id in running.values_list("pk", "worker_id"):
        state = services.recover_job(job_id=job_id, lost_worker=worker_id)
        if state:
            logger.warning("job %s lost its worker %s; now %s", job_id, worker_id, state)
            recovered.append((job_id, state))
    if lost:
        Worker.objects.filter(worker_id__in=lost).delete()
    return recovered


class Watch(threading.Thread):
    """The thread of a worker process that beats and looks for lost workers."""

    def __init__(self, worker_id: str):
        super().__init__(name="jobs-watch", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.beating_since: float | None = None

    def run(self) -> None:
        last_reap = 0.0
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                if self.beating_since is None:
                    self.beating_since = time.monotonic()
                if time.monotonic() - last_reap >= REAP_SECONDS:
                    last_reap = time.monotonic()
                    steady = time.monotonic() - self.beating_since >= LOST_AFTER_SECONDS
                    recover_lost_workers(me=self.worker_id, judge_silence=steady)
            except DatabaseError:
                # The database is away: beat again once it is back, judging silences only
                # after LOST_AFTER_SECONDS more.
                logger.warning("job worker %s cannot reach the database", self.worker_id)
                self.beating_since = None
                connection.close()
            self.stopping.wait(BEAT_SECONDS)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=BEAT_SECONDS * 2)
