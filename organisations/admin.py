from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_site import AuditedModelAdmin, admin_site
from core.masking import mask_phone
from organisations.models import Organisation


class OrganisationAdmin(AuditedModelAdmin):
    """The organisation tree for the system administrator; every change is audited as
    organisation.*."""

    audit_action_prefix = "organisation"
    list_display = ("name", "kind", "sector", "region_code", "masked_phone", "status", "parent")
    list_filter = ("kind", "sector", "status")
    search_fields = ("name", "region_code")
    raw_id_fields = ("parent",)
    # Contact phones masked and read-only (core.pii): the platform's own pages change them.
    exclude = ("contact_phone",)
    readonly_fields = ("path", "depth", "masked_phone")
    list_select_related = ("parent",)
    show_full_result_count = False  # counting 100,000 rows on every page is wasted work

    def has_delete_permission(self, request, obj=None):
        # An organisation holds business records (plans, applications, scores): it is
        # closed through the platform's pages, never deleted with them.
        return False

    @admin.display(description=_("contact phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.contact_phone)


admin_site.register(Organisation, OrganisationAdmin)
