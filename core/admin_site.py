from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from core.concurrency import ConcurrentEditAdminMixin
from core.roles import Role


class PlatformAdminSite(AdminSite):
    """Django's admin, for the system administrator only (DESIGN.md §2, 三员分立): users,
    organisations and settings. It registers no business data (campaigns, standards,
    applications, scores, plans, materials, designations, notices: those change only
    through the platform's pages and services) and no audit or security model (the
    audit and security administrators' own pages). tests/audit/test_separation_of_duties.py
    holds it to that list."""

    site_header = _("Platform administration")
    site_title = _("Platform administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.role == Role.SYSTEM_ADMIN and user.is_staff

    def login(self, request, extra_context=None):
        # One way in: the platform's sign-in page, with its lock, captcha and second factor.
        return redirect_to_login(request.GET.get("next") or request.get_full_path(), login_url="accounts:login")


admin_site = PlatformAdminSite(name="admin")


class AuditedModelAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose every addition, change and deletion is also one record of the
    platform's audit log (Django's own LogEntry is not tamper-evident). The admin calls
    these inside the transaction of the change. Its change form refuses a save over a
    change made since it was shown (core.concurrency)."""

    audit_action_prefix = ""  # "user", "organisation"

    def _audit(self, request, obj, verb, message, changed=None):
        from audit.services import record_event

        prefix = self.audit_action_prefix or obj._meta.model_name
        details = {"via": "admin"}
        if changed:
            details["changed"] = changed
        if message:
            details["message"] = message if isinstance(message, list | dict) else str(message)
        record_event(actor=request.user, action=f"{prefix}.{verb}", obj=obj, details=details)

    def save_model(self, request, obj, form, change):
        # The record of a change keeps each changed field's old and new value (numbers
        # masked), not only the field's name: read before the save, written by log_change.
        if change:
            request._audit_changes = _changed_values(obj, form)
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "create", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "update", message, changed=getattr(request, "_audit_changes", None))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "delete", "")
        return super().log_deletions(request, queryset)


def _changed_values(obj, form) -> dict[str, list[str]]:
    from audit.services import as_audit_text
    from core.pii import mask_for

    before = type(obj)._default_manager.filter(pk=obj.pk).first()
    if before is None:
        return {}
    changed = {}
    for name in form.changed_data:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field (a password pair): no value to keep
            continue
        if not field.concrete or field.many_to_many or name == "password":
            continue
        shown = mask_for(obj, name) or as_audit_text
        changed[name] = [shown(getattr(before, field.attname)), shown(getattr(obj, field.attname))]
    return changed
