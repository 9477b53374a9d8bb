from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import roles
from exports import services
from exports.forms import ExportForm
from exports.permissions import EXPORT_ROLES, can_export_unmasked
from jobs.models import Job

RECENT_JOBS = 10


@roles(*EXPORT_ROLES)
def export_home(request):
    """Choose a table and its filters and start the export as a background job; the
    user's recent exports below. A valid choice lands on the job's page."""
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            job = services.start_export(actor=request.user, form=form)
            messages.success(request, _("The export has started. The file can be downloaded here when it is ready."))
            return redirect("jobs:detail", pk=job.pk)
    else:
        form = ExportForm(user=request.user, initial={"table": "units"})
    recent = (
        Job.objects.visible_to(request.user)
        .filter(kind=services.JOB_KIND)
        .only("kind", "state", "done", "total", "result_name", "result", "created_at", "finished_at")[:RECENT_JOBS]
    )
    context = {"form": form, "recent": recent, "unmasked": can_export_unmasked(request.user)}
    return render(request, "exports/home.html", context, status=400 if form.is_bound else 200)
