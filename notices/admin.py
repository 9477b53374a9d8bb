"""Read-only views for the system administrator: notices are written, published and
withdrawn through the platform's own pages, where every change is audited."""

from django.contrib import admin

from core.admin_site import admin_site
from notices.models import Attachment, ContactInfo, ContactPerson, Notice


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "file", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0


class NoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "doc_number", "issued_on", "state", "visibility", "published_at")
    list_filter = ("state", "visibility")
    search_fields = ("title", "doc_number")
    readonly_fields = ("state", "published_at", "withdrawn_at", "created_at", "updated_at")
    inlines = [AttachmentInline]
    date_hierarchy = "issued_on"


class ContactPersonInline(ReadOnlyMixin, admin.TabularInline):
    model = ContactPerson
    extra = 0


class ContactInfoAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("phone", "email", "address", "updated_at")
    inlines = [ContactPersonInline]


admin_site.register(Notice, NoticeAdmin)
admin_site.register(ContactInfo, ContactInfoAdmin)
