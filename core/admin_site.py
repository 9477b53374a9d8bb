from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class PlatformAdminSite(AdminSite):
    """Django's admin, for the system administrator only (DESIGN.md §2)."""

    site_header = _("Platform administration")
    site_title = _("Platform administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.role == Role.SYSTEM_ADMIN and user.is_staff


admin_site = PlatformAdminSite(name="admin")
