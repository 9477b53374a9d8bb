"""Running the queue from a test: the same worker that `manage.py db_worker` runs, in the
test's own thread (run_queued_jobs) or in a background thread beside a live server
(worker_thread), so tests go through the real queue rather than calling handlers."""

import threading
from contextlib import contextmanager

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def _worker(*, batch: bool, interval: float = 0.1) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{threading.get_ident()}",
        excluded_queue_names=[],
    )


def run_queued_jobs() -> None:
    """Run every task waiting in the queue, then return.

    The worker's own loop is not used here: it calls close_old_connections(), which
    closes a connection whose autocommit differs from its settings, i.e. the connection
    of a test running inside a transaction (on PostgreSQL; SQLite keeps its in-memory
    test database open). Claiming and running a task are the worker's own steps."""
    worker = _worker(batch=True)
    while True:
        with exclusive_transaction():
            task_result = DBTaskResult.objects.ready().get_locked()
            if task_result is None:
                return
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)


@contextmanager
def worker_thread():
    """A worker polling the queue in a thread until the block ends (for browser tests)."""
    worker = _worker(batch=False)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.running = False
        thread.join(timeout=30)
