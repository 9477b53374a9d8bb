from django.urls import include, path

from core import views as core_views
from core.admin_site import admin_site

urlpatterns = [
    path("", include("core.urls")),
    path("", include("home.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("organisations/", include("organisations.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("notices/", include("notices.urls")),
    path("notifications/", include("notifications.urls")),
    path("plans/", include("plans.urls")),
    path("materials/", include("materials.urls")),
    path("applications/", include("applications.urls")),
    path("inspections/", include("inspections.urls")),
    path("designations/", include("designations.urls")),
    path("showcase/", include("showcase.urls")),
    path("jobs/", include("jobs.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("imports/", include("imports.urls")),
    path("exports/", include("exports.urls")),
    path("security/", include("security.urls")),
    path("audit/", include("audit.urls")),
    path("workdays/", include("workdays.urls")),
    path("account/two-factor/", include("twofactor.urls")),
    path("admin/", admin_site.urls),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
