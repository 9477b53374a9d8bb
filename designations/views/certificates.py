"""The certificate of a named site to download and print, for the unit and for staff.
Each download leaves an audit record."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from audit.services import record_event
from core.access import roles
from core.files import attachment
from core.roles import PROVINCE_ROLES, Role
from designations.certificate import certificate_pdf
from designations.models import Designation


@roles(*PROVINCE_ROLES, Role.ASSOCIATION, Role.UNIT)
def certificate(request, pk):
    """The certificate as a PDF attachment. A unit gets its own certificate while the
    title stands (a revoked one is gone for it: 404); the province and the unit's
    association may also print a revoked one, for the record."""
    designation = get_object_or_404(
        Designation.objects.visible_to(request.user).select_related("unit", "campaign", "announcement"), pk=pk
    )
    if request.user.role == Role.UNIT and not designation.is_active:
        raise Http404
    content = certificate_pdf(designation)
    record_event(actor=request.user, action="designation.certificate", obj=designation)
    # core.files.attachment writes filename* (RFC 5987) for the Chinese name.
    filename = _("Certificate-%(number)s.pdf") % {"number": designation.certificate_number}
    return attachment(content, filename=filename, content_type="application/pdf")
