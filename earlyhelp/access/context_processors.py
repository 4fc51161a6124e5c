"""Navigation per role, asked of the policy rather than decided in templates.

Which entries a user has depends only on their memberships, so it is asked of the policy once
and kept in the cache for a few minutes under a key made of the memberships (a membership added,
ended or approved gives a new key at once). The counts in the entries are read on every page
from the duties (docs/duties.md): one grouped COUNT over the owner's index gives what is due now
and what waits for review, approval or a decision. The menu's markup is rendered once for what it
shows (the entries, their counts, the current page, the language) and kept in the cache under
a key made of all of them, so a changed count gives a new menu at once.
"""

import hashlib
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from earlyhelp.absences.models import Absence
from earlyhelp.access.duties import REVIEW as BREAK_GLASS_REVIEW
from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, can, primary_role
from earlyhelp.access.scopes import scope_for
from earlyhelp.accounts.twofactor import needs_two_factor
from earlyhelp.activities.models import Activity, SparringRequest
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case
from earlyhelp.concerns.models import Concern
from earlyhelp.contacts.models import Arrangement
from earlyhelp.core.fragments import is_fragment
from earlyhelp.core.templatetags.earlyhelp import role_label
from earlyhelp.duties.models import Duty
from earlyhelp.duties.selectors import start_of_tomorrow
from earlyhelp.fostercare.models import Household
from earlyhelp.imports.models import RosterImport
from earlyhelp.knowledge.aggregates import MethodOutcome
from earlyhelp.knowledge.models import Method, Partner
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.duties import APPROVE as MEMBERSHIP_APPROVE
from earlyhelp.organisations.models import Institution, Membership
from earlyhelp.people.models import Child
from earlyhelp.privacy.duties import DECIDE as RETENTION_DECIDE
from earlyhelp.privacy.models import RetentionBatch
from earlyhelp.programmes.models import Programme
from earlyhelp.safety.models import SafetyMeeting
from earlyhelp.screening.models import Round
from earlyhelp.workforce.models import InstitutionCoverage, StaffProfile

# How long a user's entries are kept: what a rule reads besides the memberships (a
# municipality's settings) shows in the menu within this time.
ENTRIES_SECONDS = 300


LABELS = {
    "home": _("Overview"),
    "notifications:list": _("Notifications"),
    "concerns:mine": _("My concerns"),
    "concerns:queue": _("Triage queue"),
    "concerns:institution": _("Concerns from my institution"),
    "absences:list": _("Absences"),
    "concerns:dashboard": _("Figures"),
    "cases:list": _("My cases"),
    "activities:list": _("Activities"),
    "activities:sparring_list": _("Sparring and workshops"),
    "contacts:list": _("Assisted contact"),
    "fostercare:list": _("Foster care"),
    "fostercare:overview": _("Foster care"),
    "programmes:list": _("Programmes"),
    "knowledge:catalogue": _("Methods"),
    "knowledge:partners": _("Partners and what we offer"),
    "knowledge:outcomes": _("Outcomes per method"),
    "workforce:staff_list": _("Staff and training"),
    "workforce:me": _("My profile and training"),
    "workforce:coverage": _("Coverage of institutions"),
    "screening:rounds": _("Screening"),
    "safety:meetings": _("Signs of Safety meetings"),
    "people:child_list": _("Children"),
    "access:break_glass": _("Break-glass access"),
    "access:break_glass_log": _("Break-glass log"),
    "organisations:approvals": _("Approvals"),
    "audit:log": _("Audit log"),
    "privacy:overview": _("Privacy"),
    "imports:list": _("Roster imports"),
    "admin:index": _("Administration"),
}


def _counted(url_name: str, counts: dict[str, int], unread: int):
    """An entry's label with what waits there, if anything does."""
    if url_name == "notifications:list" and unread:
        return _("Notifications (%(count)s new)") % {"count": unread}
    if url_name == "access:break_glass_log" and (n := counts.get(BREAK_GLASS_REVIEW)):
        return ngettext(
            "Break-glass log (%(count)s to review)", "Break-glass log (%(count)s to review)", n
        ) % {"count": n}
    if url_name == "organisations:approvals" and (n := counts.get(MEMBERSHIP_APPROVE)):
        return ngettext("Approvals (%(count)s to decide)", "Approvals (%(count)s to decide)", n) % {
            "count": n
        }
    if url_name == "privacy:overview" and (n := counts.get(RETENTION_DECIDE)):
        return ngettext("Privacy (%(count)s to decide)", "Privacy (%(count)s to decide)", n) % {
            "count": n
        }
    return LABELS[url_name]


def _entries(user) -> tuple[str, ...]:
    """The URL names of the user's entries, in the menu's order, asked of the policy."""
    names = ["home", "notifications:list"]
    if can(user, Action.REPORT, Concern):
        names.append("concerns:mine")
    if can(user, Action.LIST_QUEUE, Concern):
        names.append("concerns:queue")
    if can(user, Action.LIST_INSTITUTION, Concern):
        names.append("concerns:institution")
    if can(user, Action.RECORD, Absence):
        names.append("absences:list")
    if can(user, Action.VIEW_STATS, Concern):
        names.append("concerns:dashboard")
    if can(user, Action.LIST, Case):
        names.append("cases:list")
    if can(user, Action.LIST, Activity):
        names.append("activities:list")
    elif can(user, Action.CREATE, SparringRequest):
        names.append("activities:sparring_list")
    if can(user, Action.LIST, Arrangement):
        names.append("contacts:list")
    if can(user, Action.LIST, Household):
        names.append("fostercare:list")
    elif can(user, Action.VIEW_STATS, Household):
        names.append("fostercare:overview")
    if can(user, Action.LIST, Programme):
        names.append("programmes:list")
    if can(user, Action.LIST, Method):
        names.append("knowledge:catalogue")
    if can(user, Action.LIST, Partner):
        names.append("knowledge:partners")
    if can(user, Action.LIST, MethodOutcome):
        names.append("knowledge:outcomes")
    if can(user, Action.LIST, StaffProfile):
        names.append("workforce:staff_list")
    elif can(user, Action.VIEW, StaffProfile):
        names.append("workforce:me")
    if not can(user, Action.LIST, StaffProfile) and can(
        user, Action.VIEW_STATS, InstitutionCoverage
    ):
        names.append("workforce:coverage")
    if can(user, Action.LIST, Round):
        names.append("screening:rounds")
    if can(user, Action.LIST, SafetyMeeting):
        names.append("safety:meetings")
    if can(user, Action.LIST, Child):
        names.append("people:child_list")
    if can(user, Action.BREAK_GLASS, Child):
        names.append("access:break_glass")
    if can(user, Action.LIST, BreakGlassGrant):
        names.append("access:break_glass_log")
    if can(user, Action.APPROVE, Membership):
        names.append("organisations:approvals")
    if can(user, Action.LIST, AuditEvent):
        names.append("audit:log")
    if can(user, Action.LIST, RetentionBatch):
        names.append("privacy:overview")
    if can(user, Action.LIST, RosterImport):
        names.append("imports:list")
    if can(user, Action.MANAGE, Institution):
        names.append("admin:index")
    return tuple(names)


def _entries_key(user) -> str:
    """A cache key that changes with the user's memberships, whatever changed in them."""
    scope = scope_for(user)
    memberships = sorted(
        (m.pk, m.role, m.municipality_id, m.service_id, m.institution_id, m.group_id)
        for ms in scope.roles.values()
        for m in ms
    )
    seed = repr((user.pk, user.is_superuser, date.today(), memberships))
    return "nav:" + hashlib.sha256(seed.encode()).hexdigest()


# The counts are read on every page: one constant statement, written out so that no query is
# built for it on each request (building the grouped UNION in the ORM cost more than running
# it). The tables and columns are the models' own; the menu's counts are checked in the tests
# of notifications (`test_outbox`), break-glass (`test_policy`), privacy and the start page.
_WAITING_SQL = """
SELECT kind, COUNT(*), SUM(CASE WHEN due < %s THEN 1 ELSE 0 END)
  FROM {duty} WHERE owner_id = %s GROUP BY kind
UNION ALL
SELECT NULL, COUNT(*), 0 FROM {notification} WHERE recipient_id = %s AND read_at IS NULL
"""


def _waiting(user) -> tuple[int, int, dict[str, int]]:
    """The unread notifications, what is overdue or due today, and each kind of duty's count:
    one statement, a pass over each owner's index."""
    sql = _WAITING_SQL.format(
        duty=connection.ops.quote_name(Duty._meta.db_table),
        notification=connection.ops.quote_name(Notification._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start_of_tomorrow(), user.pk, user.pk])
        rows = cursor.fetchall()
    unread_count, due_now, counts = 0, 0, {}
    for kind, total, now in rows:
        if kind is None:
            unread_count = total
            continue
        counts[kind] = total
        due_now += now or 0
    return unread_count, due_now, counts


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if is_fragment(request):
        return {}
    if needs_two_factor(user) and not user.is_verified():
        return {"nav_items": []}
    key = _entries_key(user)
    entries = cache.get(key)
    if entries is None:
        entries = tuple((name, reverse(name)) for name in _entries(user))
        cache.set(key, entries, ENTRIES_SECONDS)
    unread, due_now, counts = _waiting(user)
    items = [(url, _counted(name, counts, unread)) for name, url in entries]
    return {
        "nav_items": items,
        # Rendered where the page shows it, not before the page's own template.
        "nav_menu": lazy(_menu, SafeString)(key, items, request.path, due_now),
        "nav_role": role_label(primary_role(user)),
        "duties_due_now": due_now,
    }


def _menu(entries_key: str, items, path: str, due_now: int) -> str:
    """The menu's markup (components/nav.html), rendered once for what it shows (the entries,
    their counts, the page it marks as current, the language) and then taken from the cache:
    the same menu on every page a user opens until a count changes."""
    current = next((url for url, _label in items if url == path), "")
    labels = tuple(str(label) for _url, label in items)
    seed = repr((entries_key, labels, current, due_now, get_language()))
    key = "nav-menu:" + hashlib.sha256(seed.encode()).hexdigest()
    menu = cache.get(key)
    if menu is None:
        context = {"items": items, "current": current, "due_now": due_now}
        menu = render_to_string("components/nav.html", context)
        cache.set(key, menu, ENTRIES_SECONDS)
    return mark_safe(menu)  # noqa: S308 - rendered from the template above, escaped there
