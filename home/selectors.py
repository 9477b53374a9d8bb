from core.roles import PROVINCE_ROLES, Role
from organisations.models import Organisation


def home_figures(user) -> dict:
    """The few numbers on a signed-in user's home page, each from its scoped queryset."""
    if user.role not in PROVINCE_ROLES and user.role != Role.ASSOCIATION:
        return {}
    organisations = Organisation.objects.visible_to(user)
    return {
        "units": organisations.units().active().count(),
        "associations": organisations.associations().count(),
        "pending_registrations": organisations.units().pending().count(),
    }
