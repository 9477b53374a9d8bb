from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.access import signed_in
from core.files import stream_stored
from core.pagination import paginate
from jobs import services
from jobs.models import Job
from jobs.registry import find_kind

LIST_FIELDS = ("kind", "state", "stage", "done", "total", "input_name", "result_name", "created_at", "finished_at")


@signed_in
def job_list(request):
    """The signed-in user's own jobs, newest first."""
    page = paginate(request, Job.objects.visible_to(request.user).only(*LIST_FIELDS))
    return render(request, "jobs/job_list.html", {"page_obj": page})


@signed_in
@never_cache
def job_detail(request, pk):
    """A job's page: its progress bar, which htmx refreshes every second until the job
    ends, then what it produced. Another user's job answers 404."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    kind = find_kind(job.kind)
    context = {
        "job": job,
        "result_template": kind.result_template if kind else "",
        "can_restart": services.can_restart(request.user, job),
    }
    if request.htmx and request.GET.get("fragment") == "progress":
        return render(request, "jobs/job_detail.html#progress", context)
    return render(request, "jobs/job_detail.html", context)


@signed_in
def job_download(request, pk):
    """The file a finished job made, for its owner only; every download is audited."""
    job = get_object_or_404(Job.objects.visible_to(request.user).filter(state=Job.State.SUCCEEDED), pk=pk)
    if not job.result_file:
        return redirect("jobs:detail", pk=job.pk)
    return stream_stored(
        request,
        job.result_file,
        obj=job,
        scope=request.user.organisation,
        filename=job.result_name or "result",
    )


@signed_in
@require_POST
def job_restart(request, pk):
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    if not services.can_restart(request.user, job):
        messages.error(request, _("Only a job that failed or lost its worker can be started again."))
        return redirect("jobs:detail", pk=job.pk)
    services.restart_job(job=job, actor=request.user)
    messages.success(request, _("The job is back in the queue."))
    return redirect("jobs:detail", pk=job.pk)
