"""Administration of the jurisdiction profiles and of the numbers a municipality sets.

Superusers draft and publish profile versions; a published version is shown read-only to
everyone, with the deadlines a concern received now would get. Municipality administrators
read the profiles (the rules their settings complete) and manage their own municipality's
settings and closing days."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from earlyhelp.access.policy import Action, can
from earlyhelp.organisations.admin import AuditedAdminMixin, ScopedAdmin, site
from earlyhelp.protocols.deadlines import deadline_preview
from earlyhelp.protocols.models import ClosingDay, MunicipalSetting, Profile, ReporterKind
from earlyhelp.protocols.selectors import profile_for
from earlyhelp.protocols.services import profile_draft_next_version, profile_publish


@admin.register(Profile, site=site)
class ProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["key", "version", "shown_name", "jurisdiction", "published_at"]
    list_filter = ["key"]
    fields = ["key", "version", "name", "jurisdiction", "rules", "published_at", "preview"]
    readonly_fields = ["published_at", "preview"]
    actions = ["draft_next_version", "publish"]

    def has_module_permission(self, request) -> bool:
        # Whoever manages a municipality's protocol settings may read the rules they complete.
        return request.user.is_superuser or can(request.user, Action.MANAGE, MunicipalSetting)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        # Concerns keep the version they were received under: a published one never changes.
        return request.user.is_superuser and (obj is None or not obj.is_published)

    has_delete_permission = has_change_permission

    def get_fields(self, request, obj=None):
        # A new row has nothing to preview and is not published yet.
        if obj is None:
            return ["key", "version", "name", "jurisdiction", "rules"]
        if obj.is_published:
            # Read-only: the name in the reader's language (a draft's is edited as stored).
            return [("shown_name" if field == "name" else field) for field in self.fields]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # Which profile a row versions is fixed at creation; the next version is a copy.
            return ["key", "version", "shown_name", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, obj) -> str:
        return obj.display_name()

    @admin.display(description=_("Deadlines of a concern received now"))
    def preview(self, obj):
        rows = deadline_preview(profile=obj, received_at=timezone.now())
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    ReporterKind(row.reporter_kind).label,
                    row.deadline.label,
                    row.deadline.code,
                    date_format(timezone.localtime(row.deadline.due_at), "DATETIME_FORMAT"),
                    row.deadline.basis,
                    row.condition or _("always"),
                )
                for row in rows
            ),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr>"
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            _("Without municipal settings: earlyhelp's defaults and the country's calendar."),
            _("Reporter"),
            _("Deadline"),
            _("Due"),
            _("Rule"),
            _("Applies"),
            body,
        )

    @admin.action(
        description=_("Draft the next version of the selected profiles"), permissions=["add"]
    )
    def draft_next_version(self, request, queryset):
        for profile in queryset:
            draft = profile_draft_next_version(profile=profile)
            self.log_addition(request, draft, [{"added": {}}])
            self.message_user(
                request, _("%(profile)s drafted: edit and publish it.") % {"profile": draft}
            )

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for profile in queryset.filter(published_at__isnull=True):
            try:
                profile = profile_publish(profile=profile)
            except ValidationError as error:
                self.message_user(
                    request, f"{profile}: {'; '.join(error.messages)}", level=messages.ERROR
                )
                continue
            self.log_change(request, profile, [{"changed": {"fields": ["published_at"]}}])
            published += 1
        self.message_user(
            request,
            ngettext("%(n)d version published.", "%(n)d versions published.", published)
            % {"n": published},
        )


@admin.register(MunicipalSetting, site=site)
class MunicipalSettingAdmin(ScopedAdmin):
    list_display = ["municipality", "key", "value", "profile_default"]
    list_filter = ["key"]

    @admin.display(description=_("Default (earlyhelp's, not law)"))
    def profile_default(self, obj):
        return profile_for(obj.municipality).rules.get("settings", {}).get(obj.key, "—")


@admin.register(ClosingDay, site=site)
class ClosingDayAdmin(ScopedAdmin):
    list_display = ["date", "reason", "municipality"]
    date_hierarchy = "date"
    search_fields = ["reason"]
