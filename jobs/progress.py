import time

from django.utils import timezone

from jobs.models import Job

# Writes of progress are kept to about one a second: the page polls that often, and a
# 100,000-row job must not spend its time updating its own row.
WRITE_INTERVAL_SECONDS = 1.0


class Progress:
    """How far a running job has got, written to its row for the job's page to show.

    Each write is its own statement outside any transaction of the handler's, so the page
    sees it at once; keep a handler's writes in transactions of bounded size between calls."""

    def __init__(self, job: Job):
        self.job = job
        self._last_write = 0.0

    def stage(self, text, *, total: int | None = None) -> None:
        """Start a named stage, counting again from 0. `text` is the English message marked
        with gettext_noop: the page translates it for each reader (the worker's own
        language is nobody's)."""
        self.job.stage = str(text)[:100]
        self.job.done = 0
        if total is not None:
            self.job.total = total
        self._write()

    def advance(self, done: int, *, total: int | None = None, force: bool = False) -> None:
        if total is not None:
            self.job.total = total
        self.job.done = min(done, self.job.total) if self.job.total else 0
        if force or time.monotonic() - self._last_write >= WRITE_INTERVAL_SECONDS:
            self._write()

    def _write(self) -> None:
        self._last_write = time.monotonic()
        self.job.heartbeat_at = timezone.now()
        # Only while the row is still this run's (see Job.attempt).
        Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt).update(
            stage=self.job.stage, done=self.job.done, total=self.job.total, heartbeat_at=self.job.heartbeat_at
        )
