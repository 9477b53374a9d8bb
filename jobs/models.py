from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A running job writes its progress at least this often; one silent for longer lost its
# worker (killed, machine restarted) and is shown as interrupted, to be started again.
HEARTBEAT_TIMEOUT_SECONDS = 300
# A job still waiting after this long most likely has no worker to take it.
QUEUE_PATIENCE_SECONDS = 120


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs `user` may follow and download: only its own. An export holds what
        its owner's scope allowed, so nobody else may read it, whatever the role."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(owner=user)

    def unfinished(self):
        return self.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])


class Job(models.Model):
    """One piece of background work (an import, an export) that a user started and
    follows on its page: what it is, how far it has gone, and what it produced.

    The queue itself is django-tasks' database backend (`task_id`); this row is what the
    user sees, kept after the queue's row is pruned."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting in the queue")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="jobs"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.CharField(_("input file"), max_length=255, blank=True)
    input_name = models.CharField(_("input file name"), max_length=255, blank=True)
    result_file = models.CharField(_("result file"), max_length=255, blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Which run of the job this is: 1, then one more each time it is queued again after
    # its worker was lost. A run writes only while the row still has its number, so that
    # a worker thought lost but only slow can never finish a job a second time.
    attempt = models.PositiveSmallIntegerField(default=1)
    # The worker (jobs.Worker.worker_id) running it, so that its loss can be noticed.
    worker_id = models.CharField(max_length=64, blank=True)
    # Runs lost with their worker since the owner last started the job.
    lost_workers = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")) | Q(total=0), name="job_done_within_total")
        ]

    def __str__(self):
        return f"{self.label} #{self.pk}"

    @property
    def label(self) -> str:
        from jobs.registry import label_of

        return label_of(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def is_interrupted(self) -> bool:
        """Running, but its worker has not been heard of for HEARTBEAT_TIMEOUT_SECONDS."""
        if self.state != self.State.RUNNING or self.heartbeat_at is None:
            return False
        return (timezone.now() - self.heartbeat_at).total_seconds() > HEARTBEAT_TIMEOUT_SECONDS

    @property
    def is_waiting_long(self) -> bool:
        """Still queued after QUEUE_PATIENCE_SECONDS: the page asks the user to tell the
        administrator, whose workers may be stopped."""
        if self.state != self.State.QUEUED:
            return False
        return (timezone.now() - self.created_at).total_seconds() > QUEUE_PATIENCE_SECONDS

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)


class Worker(models.Model):
    """A job worker process that is alive, or was until it stopped without a word (killed,
    machine lost). Each writes `seen_at` every few seconds (jobs.workers); a worker of the
    same machine whose process is gone, or any whose `seen_at` is too old, is lost, and the
    jobs it was running are queued again by the workers still alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    # The process's start in clock ticks since boot (/proc/<pid>/stat): with the pid, it
    # tells the worker's process from a later one that was given the same pid.
    process_started = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.host}:{self.pid} ({self.worker_id})"
