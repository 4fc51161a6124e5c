"""Administration of the organisation tree and of users, scoped by the access policy:
an administrator manages their own municipality; a superuser manages everything."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.engine import PERSON_LEVEL_ROLES
from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.accounts.models import User
from earlyhelp.audit.services import audit_request
from earlyhelp.organisations.models import (
    District,
    DistrictPairing,
    Group,
    Institution,
    Jurisdiction,
    Membership,
    Municipality,
    Service,
)


class EarlyhelpAdminSite(admin.AdminSite):
    site_header = _("earlyhelp administration")
    site_title = _("earlyhelp administration")
    index_title = _("Organisations and users")

    def has_permission(self, request) -> bool:
        return request.user.is_active and can(request.user, Action.MANAGE, Institution)

    def get_urls(self):
        # "View on site" resolves any object of any type by id and would tell an administrator
        # whether a child exists outside the policy; earlyhelp's admin does without it.
        return [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]


site = EarlyhelpAdminSite(name="admin")


class AuditedAdminMixin:
    """Every change made in the administration goes to the audit log like any other change:
    memberships decide who sees children, so who changed them must be provable. Django's
    admin reports each addition, change (inline rows and password changes included) and
    deletion (bulk ones too) through these three hooks."""

    def save_model(self, request, obj, form, change):
        # Keep the field-level values for the audit row that log_addition/log_change write.
        request._earlyhelp_field_changes = {
            name: [
                _plain(form.initial.get(name)) if change else None,
                _plain(form.cleaned_data.get(name)),
            ]
            for name in form.changed_data
            if "password" not in name
        }
        super().save_model(request, obj, form, change)

    def _audit(self, request, action: str, obj, message) -> None:
        fields = getattr(request, "_earlyhelp_field_changes", {})
        request._earlyhelp_field_changes = {}
        audit_request(
            request,
            action=action,
            obj=obj,
            role=primary_role(request.user),
            purpose="administration",
            changes={"admin": message, **fields},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, "create", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, "change", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, "delete", obj, {"deleted": str(obj)})
        return super().log_deletions(request, queryset)


def _plain(value):
    """A form value as it reads in the audit log: objects by their id, the rest as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "__iter__"):
        return [_plain(item) for item in value]
    return str(value)


class ScopedInline(admin.TabularInline):
    """Rows edited inside another object's page: the same policy as their parent."""

    def has_view_permission(self, request, obj=None) -> bool:
        return can(request.user, Action.MANAGE, self.model)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ScopedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Every list, form and choice goes through the policy instead of Django's permissions."""

    def get_queryset(self, request):
        return visible(request.user, super().get_queryset(request), Action.MANAGE)

    def has_module_permission(self, request) -> bool:
        return can(request.user, Action.MANAGE, self.model)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is not Jurisdiction:
            field.queryset = visible(request.user, field.queryset, Action.MANAGE)
        return field


class SuperuserOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Jurisdiction, site=site)
class JurisdictionAdmin(SuperuserOnlyAdmin):
    list_display = ["code", "name", "default_language", "emergency_number"]


@admin.register(Municipality, site=site)
class MunicipalityAdmin(ScopedAdmin):
    list_display = ["name", "code", "jurisdiction"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("jurisdiction", "code")

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Service, site=site)
class ServiceAdmin(ScopedAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(District, site=site)
class DistrictAdmin(ScopedAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name"]


class GroupInline(ScopedInline):
    model = Group
    extra = 0


@admin.register(Institution, site=site)
class InstitutionAdmin(ScopedAdmin):
    list_display = ["name", "kind", "district", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [GroupInline]


@admin.register(Group, site=site)
class GroupAdmin(ScopedAdmin):
    list_display = ["name", "school_year", "institution"]
    search_fields = ["name", "institution__name"]


@admin.register(DistrictPairing, site=site)
class DistrictPairingAdmin(ScopedAdmin):
    list_display = ["district", "school", "daycare"]


@admin.register(Membership, site=site)
class MembershipAdmin(ScopedAdmin):
    list_display = [
        "user",
        "role",
        "municipality",
        "service",
        "institution",
        "group",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person's: change its role, unit or dates, never its holder.
        return ("user",) if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        administrator = request.user

        class SeparatedDutiesForm(form):
            def clean(self):
                data = super().clean()
                holder = data.get("user") or (self.instance.user if self.instance.pk else None)
                if (
                    holder == administrator
                    and data.get("role") in PERSON_LEVEL_ROLES
                    and not administrator.is_superuser
                ):
                    # Separation of duties: administrators hold no child data by default.
                    raise ValidationError(
                        _("You cannot give yourself a role with access to children's records.")
                    )
                return data

        return SeparatedDutiesForm


@admin.register(User, site=site)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Administrators manage the accounts of their own municipality; only a superuser can
    grant superuser or staff status or move an account to another municipality."""

    list_display = ["username", "first_name", "last_name", "email", "municipality", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Municipality and language"), {"fields": ("municipality", "preferred_language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Municipality and language"), {"fields": ("municipality", "preferred_language")}),
    )

    def get_queryset(self, request):
        return visible(request.user, super().get_queryset(request), Action.MANAGE)

    def has_module_permission(self, request) -> bool:
        return can(request.user, Action.MANAGE, Membership)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "user_permissions", "groups", "last_login")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "municipality" in form.base_fields:
            # An administrator's accounts always belong to one of their municipalities.
            field = form.base_fields["municipality"]
            field.queryset = visible(request.user, Municipality.objects.all(), Action.MANAGE)
            field.required = True
            field.empty_label = None
        return form
