"""The import pages: the four kinds with their templates and the user's recent jobs, the
upload that starts a check job, and the confirmation that starts the import job."""

from django.contrib import messages
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import roles
from core.files import as_download
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES
from imports import selectors
from imports.forms import ConfirmForm, UploadForm
from imports.jobs import check_kind, import_kind
from imports.layouts import LAYOUTS
from imports.workbook import template_workbook
from jobs.models import Job
from jobs.services import start_job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {
    "organisations": "组织导入模板.xlsx",
    "units": "基层单位导入模板.xlsx",
    "operators": "单位账号导入模板.xlsx",
    "inspectors": "专家库导入模板.xlsx",
}


def _layout(kind: str):
    try:
        return LAYOUTS[kind]
    except KeyError:
        raise Http404 from None


@roles(*PROVINCE_ROLES)
def import_index(request):
    """The four kinds of import and the user's recent import jobs."""
    return render(
        request,
        "imports/import_index.html",
        {"layouts": LAYOUTS.values(), "recent_jobs": list(selectors.recent_import_jobs(request.user))},
    )


@roles(*PROVINCE_ROLES)
def import_template(request, kind):
    layout = _layout(kind)
    return as_download(HttpResponse(template_workbook(layout), content_type=XLSX), filename=TEMPLATE_NAMES[kind])


@roles(*PROVINCE_ROLES)
def import_upload(request, kind):
    """Upload a filled-in workbook: it is kept and checked by a background job, whose
    page the user is sent to."""
    layout = _layout(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and allow_upload(request, form, "file") and form.is_valid():
        job = start_job(
            kind=check_kind(kind), owner=request.user, params={"kind": kind}, upload=form.cleaned_data["file"]
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "imports/import_upload.html", {"form": form, "layout": layout})


@roles(*PROVINCE_ROLES)
@require_POST
def import_confirm(request, pk):
    """Start the import of a checked file: all its rows when all are good; only the good
    ones when the user ticked that the bad ones are left out. A second confirmation of
    the same check goes to the import already started."""
    with transaction.atomic():
        check = get_object_or_404(selectors.checked_job(request.user, pk).select_for_update())
        existing = selectors.import_job_of(request.user, check)
        if existing is not None:
            return redirect("jobs:detail", pk=existing.pk)
        form = ConfirmForm(request.POST)
        form.is_valid()
        only_good = bool(form.cleaned_data.get("only_good"))
        result = check.result or {}
        if not result.get("good"):
            messages.error(request, _("No row of the file can be imported. Correct the file and upload it again."))
            return redirect("jobs:detail", pk=check.pk)
        if result.get("bad") and not (only_good and form.cleaned_data.get("understood")):
            messages.error(
                request,
                _("Some rows have problems: tick that they will be left out to import only the good rows."),
            )
            return redirect("jobs:detail", pk=check.pk)
        kind = check.params["kind"]
        try:
            with default_storage.open(check.input_file, "rb") as stored:
                job = start_job(
                    kind=import_kind(kind),
                    owner=request.user,
                    params={
                        "kind": kind,
                        "source": check.pk,
                        "only_good": only_good,
                        "update_existing": bool(form.cleaned_data.get("update_existing")),
                    },
                    upload=File(stored, name=check.input_name),
                )
        except OSError:
            messages.error(request, _("The uploaded file is no longer kept. Upload it again."))
            return redirect("imports:upload", kind=kind)
        Job.objects.filter(pk=check.pk).update(result={**result, "import_job": job.pk})
    return redirect("jobs:detail", pk=job.pk)
