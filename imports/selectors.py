from jobs.models import Job

RECENT_JOBS = 10
LIST_FIELDS = ("kind", "state", "stage", "done", "total", "input_name", "result_name", "created_at", "finished_at")


def recent_import_jobs(user):
    """The user's own latest check and import jobs, newest first."""
    return Job.objects.visible_to(user).filter(kind__startswith="imports.").only(*LIST_FIELDS)[:RECENT_JOBS]


def checked_job(user, pk: int):
    """The user's own finished check job `pk`, as a queryset (empty when it is not one)."""
    return Job.objects.visible_to(user).filter(pk=pk, kind__startswith="imports.check_", state=Job.State.SUCCEEDED)


def import_job_of(user, check: Job):
    """The import job already started from `check`, or None."""
    pk = (check.result or {}).get("import_job")
    return Job.objects.visible_to(user).filter(pk=pk).first() if pk else None
