"""The audit administrator's pages: search, one record, export, verification."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.anchoring import latest_anchor
from audit.exporting import EXPORT_KIND, start_audit_export
from audit.forms import AuditFilterForm
from audit.models import AuditRecord, ChainHead
from audit.selectors import search_records
from audit.verification import VERIFY_KIND, start_verification
from core.access import roles
from core.pagination import paginate
from core.roles import Role
from jobs.models import Job

PER_PAGE = 50
RECENT_JOBS = 5


@roles(Role.AUDIT_ADMIN)
def record_list(request):
    form = AuditFilterForm(request.GET or None)
    page = paginate(request, search_records(form), per_page=PER_PAGE)
    context = {"form": form, "page_obj": page, "query": request.GET.urlencode()}
    return render(request, "audit/record_list.html", context)


@roles(Role.AUDIT_ADMIN)
def record_detail(request, pk):
    record = get_object_or_404(AuditRecord.objects.all(), pk=pk)
    previous = AuditRecord.objects.filter(id__lt=record.pk).order_by("-id").values_list("id", flat=True).first()
    following = AuditRecord.objects.filter(id__gt=record.pk).order_by("id").values_list("id", flat=True).first()
    return render(
        request, "audit/record_detail.html", {"record": record, "previous_id": previous, "next_id": following}
    )


@roles(Role.AUDIT_ADMIN)
@require_POST
def record_export(request):
    """Export the search in the posted fields (the list page's current filters)."""
    form = AuditFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect("audit:record-list")
    job = start_audit_export(actor=request.user, form=form)
    messages.success(request, _("The export has started. The file can be downloaded here when it is ready."))
    return redirect("jobs:detail", pk=job.pk)


@roles(Role.AUDIT_ADMIN)
def verify(request):
    """Start a verification of the whole chain (a background job); the last ones and the
    latest anchor kept outside the database below."""
    if request.method == "POST":
        job = start_verification(actor=request.user)
        return redirect("jobs:detail", pk=job.pk)
    recent = Job.objects.visible_to(request.user).filter(kind=VERIFY_KIND)[:RECENT_JOBS]
    exports = Job.objects.visible_to(request.user).filter(kind=EXPORT_KIND)[:RECENT_JOBS]
    head = ChainHead.objects.filter(pk=ChainHead.ONE).first()
    context = {"recent": recent, "exports": exports, "head": head, "anchor": latest_anchor()}
    return render(request, "audit/verify.html", context)
