"""The roles of DESIGN.md §2. In the platform layer, apart from any model, so that every
layer can name them (accounts gives them to users)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Provincial administrator")
    PROVINCE_STAFF = "province_staff", _("Provincial staff")
    ASSOCIATION = "association", _("City or industry association")
    UNIT = "unit", _("Grassroots unit")
    INSPECTOR = "inspector", _("Inspector")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF})
BUSINESS_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR})
IT_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
ALL_ROLES = BUSINESS_ROLES | IT_ROLES
# 三员分立: a grant of one of these roles, a change to or from one, the enabling of an account
# holding one and the reset of its password take effect only when a second administrator
# of another of the three administrators' roles approves (accounts.grants).
PRIVILEGED_ROLES = PROVINCE_ROLES | IT_ROLES
