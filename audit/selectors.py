"""Reading the audit log: for the audit administrator only (audit.permissions)."""

from audit.models import AuditRecord


def search_records(form):
    """The records a valid AuditFilterForm asks for, newest first: all of them for an
    unbound form, none for an invalid one (the page shows its errors)."""
    records = AuditRecord.objects.order_by("-at", "-id")
    if not form.is_bound:
        return records
    if not form.is_valid():
        return records.none()
    return form.filter(records)
