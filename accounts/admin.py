from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.admin_site import AuditedModelAdmin, admin_site
from core.masking import mask_phone
from core.roles import PRIVILEGED_ROLES, Role


class PasswordSetByAdministratorForm(AdminPasswordChangeForm):
    """A password the administrator chose is the owner's to replace at its next sign-in,
    and every session signed in with the old one ends."""

    def save(self, commit=True):
        from security.services import end_user_sessions

        self.user.must_change_password = True
        user = super().save(commit=commit)
        if commit:
            end_user_sessions(user=user)
        return user


class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Accounts for the system administrator; every change is audited as user.*."""

    audit_action_prefix = "user"
    list_display = ("username", "display_name", "role", "organisation", "masked_phone", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "email")
    raw_id_fields = ("organisation",)
    list_select_related = ("organisation",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("display_name", "email", "masked_phone")}),
        (_("Role"), {"fields": ("role", "organisation", "is_active", "is_staff")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    # The system administrator never reads a number whole (core.pii): masked, read-only
    # here; the platform's own account page changes it.
    readonly_fields = ("masked_phone",)
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "organisation", "password1", "password2")}),
    )

    change_password_form = PasswordSetByAdministratorForm

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def save_model(self, request, obj, form, change):
        from security.services import end_user_sessions

        if not change:
            obj.must_change_password = True
        obj.is_staff = obj.role == Role.SYSTEM_ADMIN
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            end_user_sessions(user=obj)

    def has_delete_permission(self, request, obj=None):
        # Accounts are disabled, never deleted: their audit records keep naming them.
        return False

    def get_readonly_fields(self, request, obj=None):
        # 三员分立: a role changes on the platform's account page only, where a change to or
        # from a privileged role waits for a second administrator (accounts.grants); is_staff
        # follows the role. Nobody disables or enables its own account here either.
        fields = (*super().get_readonly_fields(request, obj), "is_staff")
        if obj is not None:
            fields = (*fields, "role")
            if obj.pk == request.user.pk:
                fields = (*fields, "is_active")
        return fields

    def has_change_permission(self, request, obj=None):
        # An account with a privileged role is only shown here: its password, its
        # organisation and its enabling are ways into the role (accounts.grants).
        if obj is not None and obj.role in PRIVILEGED_ROLES:
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "role" in form.base_fields:
            # Privileged accounts are created on the organisation's page, with approval.
            form.base_fields["role"].choices = [
                (value, label) for value, label in form.base_fields["role"].choices if value not in PRIVILEGED_ROLES
            ]
            form.base_fields["role"].help_text = _(
                "Accounts of the provincial office and of the three administrators are created on the "
                "organisation's page and take effect when a second administrator approves."
            )
        return form


admin_site.register(User, UserAdmin)
