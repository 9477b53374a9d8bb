"""`manage.py jobs_worker`: django-tasks' `db_worker` (same options, but never
auto-reloading) that also

- keeps its row in jobs.Worker up to date and gives the jobs of lost workers to the queue
  again (jobs.workers), which `db_worker` alone never does for a killed worker;
- outlives a database outage: `db_worker` exits on the first failed query, here the
  worker waits for the database and goes on, and the job it was running when the outage
  cut it off is queued again.

Production runs this one (deploy/supervise.py, README "Deploying")."""

import contextlib
import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker

from jobs import services, workers
from jobs.models import Job

logger = logging.getLogger(__name__)

OUTAGE_PAUSE_SECONDS = 2


class OutageProofWorker(db_worker.Worker):
    def run(self) -> None:
        while True:
            try:
                self.recover_own_jobs()
                super().run()
                return
            except DatabaseError:
                logger.warning("job worker %s lost the database; waiting for it", self.worker_id)
                connections.close_all()
                if not self.running:
                    return
                time.sleep(OUTAGE_PAUSE_SECONDS)

    def recover_own_jobs(self) -> None:
        """Between tasks a worker runs nothing: a job still running on it was cut off by
        the outage it has just come through."""
        running = Job.objects.filter(state=Job.State.RUNNING, worker_id=self.worker_id)
        for job_id in running.values_list("pk", flat=True):
            services.recover_job(job_id=job_id, lost_worker=self.worker_id)


class Command(db_worker.Command):
    help = __doc__

    def handle(
        self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks, worker_id, **options
    ) -> None:
        self.configure_logging(verbosity)
        exclude = options["exclude_queues"]
        worker = OutageProofWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude.split(",") if exclude else [],
        )
        # Registered before the first task is taken, so that no job runs on a worker
        # nobody knows of.
        workers.register(worker_id)
        watch = workers.Watch(worker_id)
        watch.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            watch.stop()
            # A worker stopped during an outage stays in the table; the next one of this
            # machine sees its process gone.
            with contextlib.suppress(DatabaseError):
                workers.forget(worker_id)
