from django.contrib import admin

from campaigns.models import Campaign, Category, Indicator, StandardVersion, VetoItem
from core.admin_site import admin_site


class ReadOnlyAdmin(admin.ModelAdmin):
    """Campaigns and standards change only through the platform's pages, whose services
    audit every change and keep published versions frozen; the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "doc_number", "start_date", "end_date", "status")
    list_filter = ("status",)
    search_fields = ("name", "doc_number")


class StandardVersionAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "number", "label", "status", "published_at", "retired_at")
    list_filter = ("status",)
    list_select_related = ("campaign",)


class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "version", "order")
    list_select_related = ("version", "version__campaign")


class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "category", "order", "max_score")
    list_select_related = ("category",)
    search_fields = ("text",)


class VetoItemAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "version", "order")
    list_select_related = ("version", "version__campaign")


admin_site.register(Campaign, CampaignAdmin)
admin_site.register(StandardVersion, StandardVersionAdmin)
admin_site.register(Category, CategoryAdmin)
admin_site.register(Indicator, IndicatorAdmin)
admin_site.register(VetoItem, VetoItemAdmin)
