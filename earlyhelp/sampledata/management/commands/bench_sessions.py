"""Signed-in, two-factor-verified sessions and API tokens for the bench accounts that
`bench_data` creates (`bench.<role>.<i>`), with what each account's scenarios need: children it
may open, a search term that finds some of them, a cursor deep into its child list. Written as
JSON for the load harness (bench/run.py). For benchmark databases only: refused in production
unless --allow-production-settings is given (the harness runs the server in production mode
against a bench database)."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.policy import Action
from earlyhelp.accounts.middleware import SESSION_STARTED_KEY
from earlyhelp.accounts.models import User
from earlyhelp.activities.selectors import own_sessions
from earlyhelp.api.models import ApiToken
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.concerns.access import reporting_institutions
from earlyhelp.concerns.selectors import reportable_children
from earlyhelp.core.keyset import encode_cursor
from earlyhelp.organisations.models import Role
from earlyhelp.people.access import visible_children
from earlyhelp.programmes.models import PeriodFigures, Programme, Report
from earlyhelp.programmes.reports import compute_draft

ROLES = [
    Role.EDUCATOR,
    Role.INSTITUTION_LEAD,
    Role.SOCIAL_HELPER,
    Role.SUPERVISOR,
    Role.CASE_WORKER,
    Role.MANAGER,
]
SAMPLE = 20


def _session(user: User) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise CommandError(f"{user.username} has no confirmed authenticator.")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED_KEY] = time.time()
    session.set_expiry(6 * 3600)
    session.create()
    return session.session_key


def _children(user: User) -> dict:
    """Children the account may open, a search term and a deep cursor in its child list."""
    # The list's own form of the scope (a union of the paths' children): counting and
    # skipping into it costs what the scope holds, not a walk over every child.
    parts = [part.order_by() for part in visible_children(user, Action.VIEW)]
    if not parts:
        return {"child_ids": [], "visible_children": 0, "deep_cursor": None, "terms": []}
    scope = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    readable = scope.order_by("search_name", "pk")
    ids = list(readable.values_list("pk", flat=True)[:SAMPLE])
    total = readable.count()
    deep = None
    if total > 50:
        row = readable.values_list("search_name", "pk")[total * 3 // 5]
        deep = encode_cursor(list(row))
    names = list(readable.values_list("search_name", flat=True)[: SAMPLE * 5 : 5])
    # The family name's first five folded letters: typed without accents, as people do.
    terms = sorted({name.split()[0][:5] for name in names if len(name.split()[0]) >= 3})
    return {"child_ids": ids, "visible_children": total, "deep_cursor": deep, "terms": terms}


def _activity_dates(user: User) -> dict:
    """For the week view and the monthly export: the Monday of the latest week, up to this
    one, in which the account has meetings, and the last whole month before this one in which
    it has meetings (its activity log)."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    week = month = None
    for _ in range(60):
        if own_sessions(user, monday, monday + timedelta(days=6)).exists():
            week = monday.isoformat()
            break
        monday -= timedelta(days=7)
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    for _ in range(24):
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if own_sessions(user, first, last).exists():
            month = f"{first:%Y-%m}"
            break
        first = (first - timedelta(days=1)).replace(day=1)
    meetings = own_sessions(user, first, last).count() if month else 0
    return {"week": week, "month": month, "month_sessions": meetings}


def _programmes(user: User) -> dict:
    """The programmes the manager runs, and a draft funder's report of each for the last
    quarter before now (written here when the generator made none)."""
    from earlyhelp.access.policy import visible

    programmes = list(visible(user, Programme.objects.order_by("pk"), Action.VIEW)[:SAMPLE])
    reports = []
    today = timezone.localdate()
    for programme in programmes:
        ends = min(today, programme.ends_on)
        starts = max(programme.starts_on, ends - timedelta(days=90))
        report, created = Report.objects.get_or_create(
            programme=programme,
            period_starts=starts,
            period_ends=ends,
            defaults={"prepared_by": user},
        )
        if created or not PeriodFigures.objects.filter(report=report).exists():
            compute_draft(report)  # as starting a draft on its page does
        reports.append(report.pk)
    return {"programme_ids": [p.pk for p in programmes], "report_ids": reports}


def _methods(user: User) -> dict:
    """The methods whose outcomes the manager reads, those that reached most children first."""
    from earlyhelp.access.policy import visible
    from earlyhelp.knowledge.aggregates import MethodOutcome

    rows = visible(user, MethodOutcome.objects.order_by("-children", "method_id"), Action.VIEW)
    return {"method_ids": list(rows.values_list("method_id", flat=True)[:SAMPLE])}


def _audit_readers(count: int) -> list[dict]:
    """Administrators of bench municipalities, the audit-log page's readers (bench_data makes
    them members, not bench accounts, so they get the bench accounts' authenticator here), each
    with the children and accounts of their municipality that the log's newest rows are about."""
    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.organisations.models import Membership
    from earlyhelp.sampledata.bench.organisations import BENCH_TOTP_KEY, CODE_PREFIX

    admins = (
        Membership.objects.active()
        .filter(role=Role.ADMIN, municipality__code__startswith=CODE_PREFIX)
        .select_related("user")
        .order_by("pk")[:count]
    )
    rows = []
    for membership in admins:
        # An administrator signs in with two factors: give the account the bench key's device.
        TOTPDevice.objects.get_or_create(
            user=membership.user,
            name="bench",
            defaults={"key": BENCH_TOTP_KEY, "confirmed": True},
        )
        recent = AuditEvent.objects.filter(municipality_id=membership.municipality_id).order_by(
            "-at", "-id"
        )[:2000]
        children = list(
            dict.fromkeys(
                int(object_id)
                for object_id, object_type in recent.values_list("object_id", "object_type")
                if object_type == "people.child" and object_id
            )
        )[:SAMPLE]
        names = list(dict.fromkeys(recent.values_list("actor_name", flat=True)))[:SAMPLE]
        rows.append(
            {
                "username": membership.user.username,
                "session": _session(membership.user),
                "audit_child_ids": children,
                "audit_accounts": names,
                "year_ago": (timezone.localdate() - timedelta(days=365)).isoformat(),
            }
        )
    return rows


class Command(BaseCommand):
    help = "Write sessions, API tokens and scenario inputs of the bench accounts as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=10, help="Accounts per role.")
        parser.add_argument("--output", required=True, help="Where to write the JSON.")
        parser.add_argument("--allow-production-settings", action="store_true")

    def handle(self, *args, accounts, output, allow_production_settings, **options):
        if settings.PRODUCTION and not allow_production_settings:
            raise CommandError("bench_sessions writes sessions: benchmark databases only.")
        state = {"accounts": {}}
        for role in ROLES:
            users = list(
                User.objects.filter(username__startswith=f"bench.{role}.").order_by("pk")[:accounts]
            )
            if not users:
                raise CommandError(f"No bench.{role}.* accounts: run bench_data first.")
            rows = []
            for user in users:
                row = {"username": user.username, "session": _session(user), **_children(user)}
                if role in (Role.EDUCATOR, Role.SOCIAL_HELPER, Role.CASE_WORKER):
                    row["token"] = ApiToken.issue(user=user, name="bench")[1]
                if role == Role.EDUCATOR:
                    institutions = sorted(reporting_institutions(user))
                    row["institution_id"] = institutions[0]
                    row["report_child_ids"] = list(
                        reportable_children(
                            user=user, institution_ids=institutions[:1]
                        ).values_list("pk", flat=True)[:SAMPLE]
                    )
                if role in (Role.CASE_WORKER, Role.SOCIAL_HELPER, Role.SUPERVISOR):
                    # Cases on the account's team, the largest chronology first.
                    on_team = CaseMember.objects.filter(user=user, left_at__isnull=True)
                    row["case_ids"] = list(
                        Case.objects.filter(pk__in=on_team.values("case_id"))
                        .annotate(entries=Count("chronology"))
                        .order_by("-entries", "pk")
                        .values_list("pk", flat=True)[:SAMPLE]
                    )
                if role == Role.SOCIAL_HELPER:
                    row.update(_activity_dates(user))
                if role == Role.MANAGER:
                    row.update(_programmes(user))
                    row.update(_methods(user))
                rows.append(row)
            state["accounts"][role.value] = rows
            self.stdout.write(f"{role}: {len(rows)} accounts")
        state["accounts"]["admin"] = _audit_readers(accounts)
        self.stdout.write(f"admin: {len(state['accounts']['admin'])} accounts")
        Path(output).write_text(json.dumps(state, indent=1))
