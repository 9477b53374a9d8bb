from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import User
from core.roles import Role
from twofactor.models import RecoveryCode, TOTPDevice

ENABLED = "enabled"
NOT_ENABLED = "off"
MUST_ENROL = "must_enrol"


def users_with_second_factor(*, actor, query: str = "", role: str = "", status: str = ""):
    """The accounts whose second factor the security administrator manages, each with
    `has_device` (a confirmed app), `must_enrol` (reset, not yet enrolled again) and
    `codes_left` (unused recovery codes), in one query however long the page.

    Every account for the security administrator (its work covers every user), none for
    anyone else."""
    if not actor.is_authenticated or actor.role != Role.SECURITY_ADMIN:
        return User.objects.none()
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"))
    users = (
        User.objects.select_related("organisation")
        .annotate(
            has_device=Exists(devices.filter(confirmed=True)),
            must_enrol=Exists(devices.filter(confirmed=False, enrolment_required=True)),
            codes_left=Count("recovery_codes", filter=Q(recovery_codes__used_at__isnull=True)),
        )
        .order_by("username")
    )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    if role:
        users = users.filter(role=role)
    if status == ENABLED:
        users = users.filter(has_device=True)
    elif status == NOT_ENABLED:
        users = users.filter(has_device=False, must_enrol=False)
    elif status == MUST_ENROL:
        users = users.filter(must_enrol=True)
    return users


def recovery_code_count(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
