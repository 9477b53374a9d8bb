"""The report of a finalised inspection to download: the PDF to print and sign, and the
same figures as an Excel workbook. Each download leaves an audit record."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from audit.services import record_event
from core.access import roles
from core.files import attachment
from core.roles import PROVINCE_ROLES, Role
from inspections import documents
from inspections.models import Inspection, InspectionStatus

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _finalised_or_404(request, pk) -> Inspection:
    """The inspection if `request.user` may see it and its result is final; 404 otherwise
    (a planned inspection has no report yet, a cancelled one never will)."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related(
            "application__unit", "application__campaign", "result"
        ),
        pk=pk,
    )
    if inspection.status != InspectionStatus.FINALISED:
        raise Http404
    return inspection


def _attachment(inspection, content: bytes, *, extension: str, content_type: str) -> FileResponse:
    # A unit's scores are nobody else's business: core.files.attachment lets no shared or
    # lasting cache keep them, and writes filename* (RFC 5987) for the Chinese name.
    filename = _("Inspection report-%(code)s.%(extension)s") % {
        "code": inspection.application.registration_code or inspection.pk,
        "extension": extension,
    }
    return attachment(content, filename=filename, content_type=content_type)


@roles(*PROVINCE_ROLES, Role.INSPECTOR)
def report_pdf(request, pk):
    """The report as a PDF, for the province and the members of the team."""
    inspection = _finalised_or_404(request, pk)
    content = documents.report_pdf(inspection)
    record_event(actor=request.user, action="inspection.export", obj=inspection, details={"format": "pdf"})
    return _attachment(inspection, content, extension="pdf", content_type=PDF)


@roles(*PROVINCE_ROLES, Role.INSPECTOR)
def report_xlsx(request, pk):
    """The report as an Excel workbook, for the province and the members of the team."""
    inspection = _finalised_or_404(request, pk)
    content = documents.report_xlsx(inspection)
    record_event(actor=request.user, action="inspection.export", obj=inspection, details={"format": "xlsx"})
    return _attachment(inspection, content, extension="xlsx", content_type=XLSX)
