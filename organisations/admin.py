from django.contrib import admin

from core.admin_site import admin_site
from organisations.models import Organisation


class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "sector", "region_code", "status", "parent")
    list_filter = ("kind", "sector", "status")
    search_fields = ("name", "region_code")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth")
    list_select_related = ("parent",)
    show_full_result_count = False  # counting 100,000 rows on every page is wasted work


admin_site.register(Organisation, OrganisationAdmin)
