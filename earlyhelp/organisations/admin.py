"""Administration of the organisation tree and of users, scoped by the access policy:
an administrator manages their own municipality; a superuser manages everything."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.accounts.forms import AdminSignInForm
from earlyhelp.accounts.models import User
from earlyhelp.accounts.services import invitation_send
from earlyhelp.audit.services import audit_request
from earlyhelp.concerns.access import receiving_institutions, unreceived_institutions
from earlyhelp.core.text import plain_number
from earlyhelp.organisations.access import may_give_role
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
    login_form = AdminSignInForm

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
        self._remember_changes(request, form, change)
        super().save_model(request, obj, form, change)

    def _remember_changes(self, request, form, change) -> None:
        # Keep the field-level values for the audit row that log_addition/log_change write.
        request._earlyhelp_field_changes = {
            name: [
                _plain(form.initial.get(name)) if change else None,
                _plain(form.cleaned_data.get(name)),
            ]
            for name in form.changed_data
            if "password" not in name
        }

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


class KnownIdsAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, showing a refused form again without the values that are
    not ids at all: its own lookup of the chosen rows fails (a 500) on such a value."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        ids = []
        for item in value:
            try:
                target.get_prep_value(item)
            except (TypeError, ValueError):
                continue
            ids.append(item)
        return super().optgroups(name, ids, attr)


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
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownIdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
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
    list_display = ["code", "shown_name", "default_language", "emergency_number"]

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, obj) -> str:
        return obj.display_name()


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
    """Warns about every institution where someone may report a concern that nobody would
    receive (no social helper assigned, so no triager): reporters there are stopped until one
    is assigned."""

    list_display = ["name", "kind", "district", "municipality", "receives_concerns"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [GroupInline]

    @admin.display(boolean=True, description=_("concerns received"))
    def receives_concerns(self, obj) -> bool:
        return obj.pk in receiving_institutions([obj.pk])

    def _warn_unreceived(self, request, institutions) -> None:
        names = ", ".join(unreceived_institutions(institutions).values_list("name", flat=True))
        if names:
            self.message_user(
                request,
                gettext(
                    "Nobody receives the concerns of %(names)s: assign a social helper, or the "
                    "people who report there cannot send a concern."
                )
                % {"names": names},
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._warn_unreceived(request, self.get_queryset(request))
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and (pk := plain_number(object_id)) is not None:
            self._warn_unreceived(request, self.get_queryset(request).filter(pk=pk))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Group, site=site)
class GroupAdmin(ScopedAdmin):
    list_display = ["name", "school_year", "institution"]
    search_fields = ["name", "institution__name"]


@admin.register(DistrictPairing, site=site)
class DistrictPairingAdmin(ScopedAdmin):
    list_display = ["district", "school", "daycare"]


APPROVAL_FIELDS = ("approval", "requested_by", "requested_at", "decided_by", "decided_at")


@admin.register(Membership, site=site)
class MembershipAdmin(ScopedAdmin):
    """A membership whose role reaches children awaits a second person's approval
    (organisations.services.membership_save); its approval is shown, never edited, here:
    it is decided on the page of pending approvals."""

    list_display = [
        "user",
        "role",
        "municipality",
        "service",
        "institution",
        "group",
        "starts_on",
        "ends_on",
        "approval",
        "requested_by",
    ]
    list_filter = ["approval", "role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person's: change its role, unit or dates, never its holder.
        return ("user", *APPROVAL_FIELDS) if obj is not None else APPROVAL_FIELDS

    def save_model(self, request, obj, form, change):
        from earlyhelp.organisations.services import membership_save

        self._remember_changes(request, form, change)
        membership_save(membership=obj, actor=request.user, request_id=request.request_id)
        if obj.is_pending:
            self.message_user(
                request,
                gettext(
                    "This membership awaits approval by another administrator of the "
                    "municipality or a supervisor of its service. Until then it grants nothing."
                ),
                messages.WARNING,
            )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        administrator = request.user

        class SeparatedDutiesForm(form):
            def clean(self):
                data = super().clean()
                holder = data.get("user") or (self.instance.user if self.instance.pk else None)
                if holder is not None and not may_give_role(
                    administrator, holder, data.get("role")
                ):
                    # Separation of duties: administrators hold no child data by default.
                    raise ValidationError(
                        _("You cannot give yourself a role with access to children's records.")
                    )
                return data

        return SeparatedDutiesForm


class InvitedUserForm(forms.ModelForm):
    """A new account as an administrator creates it: no password. Its owner chooses one
    through the link e-mailed to them (accounts.services.invitation_send)."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "municipality")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "The invitation to choose a password goes to this address."
        )


@admin.register(User, site=site)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Administrators manage the accounts of their own municipality; only a superuser can
    grant superuser or staff status, move an account to another municipality or set a
    password. An administrator's new account gets no password: its owner chooses one through
    an invitation link e-mailed to them."""

    list_display = ["username", "first_name", "last_name", "email", "municipality", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Municipality and language"), {"fields": ("municipality", "preferred_language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Municipality and language"), {"fields": ("municipality", "preferred_language")}),
    )
    invited_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email"),
            },
        ),
        (_("Municipality and language"), {"fields": ("municipality", "preferred_language")}),
    )
    actions = ["send_invitation"]

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

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return self.invited_add_fieldsets
        # No password field, and so no link to the page that would set one.
        return tuple(
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in super().get_fieldsets(request, obj)
        )

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = InvitedUserForm
            form = admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        else:
            form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "municipality" in form.base_fields:
            # An administrator's accounts always belong to one of their municipalities.
            field = form.base_fields["municipality"]
            field.queryset = visible(request.user, Municipality.objects.all(), Action.MANAGE)
            field.required = True
            field.empty_label = None
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if add and not request.user.is_superuser:
            response.template_name = "admin/accounts/user/invite_form.html"
        return response

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if not request.user.is_superuser:
            invitation_send(user=obj, actor=request.user, request_id=request.request_id)
            self.message_user(
                request,
                gettext("An invitation to choose a password was sent to %(email)s.")
                % {"email": obj.email},
                messages.SUCCESS,
            )
        return super().response_add(request, obj, post_url_continue)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            # An administrator never knows a working password of an account they manage.
            if not self.get_queryset(request).filter(pk=id).exists():
                raise Http404
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Send an invitation to choose a password"))
    def send_invitation(self, request, queryset):
        """For accounts whose owner has not chosen a password yet (a lost or expired
        invitation). An account with a password keeps it: its owner resets it themselves."""
        sent = 0
        for user in queryset:
            if user.has_usable_password() or not user.email:
                continue
            invitation_send(user=user, actor=request.user, request_id=request.request_id)
            sent += 1
        skipped = len(queryset) - sent
        self.message_user(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent)
            % {"count": sent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s account was left out: it has a password already or no e-mail "
                    "address.",
                    "%(count)s accounts were left out: they have a password already or no "
                    "e-mail address.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
