"""Navigation per role, asked of the policy rather than decided in templates."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from earlyhelp.absences.models import Absence
from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.accounts.twofactor import needs_two_factor
from earlyhelp.activities.models import Activity, SparringRequest
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case
from earlyhelp.concerns.models import Concern
from earlyhelp.contacts.models import Arrangement
from earlyhelp.core.fragments import is_fragment
from earlyhelp.core.templatetags.earlyhelp import role_label
from earlyhelp.fostercare.models import Household
from earlyhelp.knowledge.aggregates import MethodOutcome
from earlyhelp.knowledge.models import Method, Partner
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Institution, Membership
from earlyhelp.people.models import Child
from earlyhelp.privacy.models import RetentionBatch
from earlyhelp.programmes.models import Programme
from earlyhelp.safety.models import SafetyMeeting
from earlyhelp.screening.models import Round
from earlyhelp.workforce.models import InstitutionCoverage, StaffProfile


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if is_fragment(request):
        return {}
    if needs_two_factor(user) and not user.is_verified():
        return {"nav_items": []}
    items = [(reverse("home"), _("Overview"))]
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    items.append(
        (
            reverse("notifications:list"),
            _("Notifications (%(count)s new)") % {"count": unread}
            if unread
            else _("Notifications"),
        )
    )
    if can(user, Action.REPORT, Concern):
        items.append((reverse("concerns:mine"), _("My concerns")))
    if can(user, Action.LIST_QUEUE, Concern):
        items.append((reverse("concerns:queue"), _("Triage queue")))
    if can(user, Action.LIST_INSTITUTION, Concern):
        items.append((reverse("concerns:institution"), _("Concerns from my institution")))
    if can(user, Action.RECORD, Absence):
        items.append((reverse("absences:list"), _("Absences")))
    if can(user, Action.VIEW_STATS, Concern):
        items.append((reverse("concerns:dashboard"), _("Figures")))
    if can(user, Action.LIST, Case):
        items.append((reverse("cases:list"), _("My cases")))
    if can(user, Action.LIST, Activity):
        items.append((reverse("activities:list"), _("Activities")))
    elif can(user, Action.CREATE, SparringRequest):
        items.append((reverse("activities:sparring_list"), _("Sparring and workshops")))
    if can(user, Action.LIST, Arrangement):
        items.append((reverse("contacts:list"), _("Assisted contact")))
    if can(user, Action.LIST, Household):
        items.append((reverse("fostercare:list"), _("Foster care")))
    elif can(user, Action.VIEW_STATS, Household):
        items.append((reverse("fostercare:overview"), _("Foster care")))
    if can(user, Action.LIST, Programme):
        items.append((reverse("programmes:list"), _("Programmes")))
    if can(user, Action.LIST, Method):
        items.append((reverse("knowledge:catalogue"), _("Methods")))
    if can(user, Action.LIST, Partner):
        items.append((reverse("knowledge:partners"), _("Partners and what we offer")))
    if can(user, Action.LIST, MethodOutcome):
        items.append((reverse("knowledge:outcomes"), _("Outcomes per method")))
    if can(user, Action.LIST, StaffProfile):
        items.append((reverse("workforce:staff_list"), _("Staff and training")))
    elif can(user, Action.VIEW, StaffProfile):
        items.append((reverse("workforce:me"), _("My profile and training")))
    if not can(user, Action.LIST, StaffProfile) and can(
        user, Action.VIEW_STATS, InstitutionCoverage
    ):
        items.append((reverse("workforce:coverage"), _("Coverage of institutions")))
    if can(user, Action.LIST, Round):
        items.append((reverse("screening:rounds"), _("Screening")))
    if can(user, Action.LIST, SafetyMeeting):
        items.append((reverse("safety:meetings"), _("Signs of Safety meetings")))
    if can(user, Action.LIST, Child):
        items.append((reverse("people:child_list"), _("Children")))
    if can(user, Action.BREAK_GLASS, Child):
        items.append((reverse("access:break_glass"), _("Break-glass access")))
    if can(user, Action.LIST, BreakGlassGrant):
        awaiting = (
            visible(user, BreakGlassGrant.objects.all(), Action.REVIEW_BREAK_GLASS)
            .filter(reviewed_at__isnull=True)
            .count()
        )
        label = _("Break-glass log")
        if awaiting:
            label = ngettext(
                "Break-glass log (%(count)s to review)",
                "Break-glass log (%(count)s to review)",
                awaiting,
            ) % {"count": awaiting}
        items.append((reverse("access:break_glass_log"), label))
    if can(user, Action.APPROVE, Membership):
        waiting = visible(user, Membership.objects.all(), Action.APPROVE).count()
        items.append(
            (
                reverse("organisations:approvals"),
                ngettext(
                    "Approvals (%(count)s to decide)",
                    "Approvals (%(count)s to decide)",
                    waiting,
                )
                % {"count": waiting}
                if waiting
                else _("Approvals"),
            )
        )
    if can(user, Action.LIST, AuditEvent):
        items.append((reverse("audit:log"), _("Audit log")))
    if can(user, Action.LIST, RetentionBatch):
        waiting = (
            visible(user, RetentionBatch.objects.all(), Action.CHANGE)
            .filter(state=RetentionBatch.State.PROPOSED)
            .count()
        )
        items.append(
            (
                reverse("privacy:overview"),
                ngettext("Privacy (%(count)s to decide)", "Privacy (%(count)s to decide)", waiting)
                % {"count": waiting}
                if waiting
                else _("Privacy"),
            )
        )
    if can(user, Action.MANAGE, Institution):
        items.append((reverse("admin:index"), _("Administration")))
    return {"nav_items": items, "nav_role": role_label(primary_role(user))}
