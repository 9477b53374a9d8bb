"""Self-registration from one client address: no address may fill the associations'
review queues (issue 18, item 5).

A registration's address is the one its audit record keeps ("organisation.self_register",
column ip): nothing else stores it, and the record outlives the day it is counted for.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import User
from audit.models import AuditRecord
from audit.services import record_event
from core.middleware import current_ip
from organisations.models import Organisation, Status

PENDING_WINDOW = timedelta(days=1)


def _as_stored(address: str) -> str | None:
    # As the audit record's address column holds it (None for no address at all).
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def pending_registrations_from(*, address: str) -> int:
    """How many units registered themselves from the client `address` within the last
    24 hours and still await their association's decision."""
    records = AuditRecord.objects.filter(
        action="organisation.self_register",
        object_type=Organisation._meta.label_lower,
        at__gte=timezone.now() - PENDING_WINDOW,
        ip=_as_stored(address),
    )
    unit_ids = [int(pk) for pk in records.values_list("object_id", flat=True)]
    return Organisation.objects.filter(pk__in=unit_ids, status=Status.PENDING).count()


def register_unit_from(*, client_address: str, **registration) -> User:
    """accounts.services.register_unit (same arguments, same errors) for a request from
    the client address `client_address`, which the registration's audit record keeps. Refused with a
    form-wide ValidationError, nothing created, when settings.REGISTRATION_PENDING_PER_ADDRESS
    registrations from that address of the last 24 hours still await approval; the
    refusal is audited ("organisation.self_register_refused").

    Two registrations sent at the same moment could both pass the count: the hourly
    limit of registration requests per address (accounts.views.register) bounds that."""
    limit = settings.REGISTRATION_PENDING_PER_ADDRESS
    # The audit records of this call keep the address, also outside a request.
    token = current_ip.set(client_address)
    try:
        if pending_registrations_from(address=client_address) >= limit:
            record_event(
                actor=None,
                action="organisation.self_register_refused",
                result=AuditRecord.Result.FAILED,
                reason="pending_limit",
                details={"limit": limit, "unit_name": str(registration.get("unit_name", ""))[:200]},
            )
            raise ValidationError(
                _(
                    "%(count)s registrations sent from your network address within the last 24 hours are still "
                    "awaiting approval, the most allowed. Nothing was saved. Send this one once the association "
                    "has decided on them, or tomorrow."
                )
                % {"count": limit},
                code="pending_limit",
            )
        return services.register_unit(**registration)
    finally:
        current_ip.reset(token)
