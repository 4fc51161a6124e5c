"""The load of the benchmark: one Locust user class per scenario of DESIGN.md section 6 that
exists so far, each a signed-in account of the role that uses the page. bench/run.py starts
Locust headless, one scenario at a time, against a production-like server; the accounts,
their sessions and inputs come from `manage.py bench_sessions` (BENCH_STATE)."""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid

from locust import FastHttpUser, between, constant_pacing, task

STATE = json.loads(open(os.environ["BENCH_STATE"], encoding="utf-8").read())  # noqa: SIM115
ACCOUNTS = STATE["accounts"]
_turns = {role: itertools.cycle(rows) for role, rows in ACCOUNTS.items()}


class Signed(FastHttpUser):
    """A person of `role` with their own session, taking the accounts in turn."""

    abstract = True
    role = ""
    wait_time = between(0.2, 0.8)

    def on_start(self):
        self.account = next(_turns[self.role])
        self.headers = {"Cookie": f"sessionid={self.account['session']}"}

    def page(self, url: str, name: str, content_type: str = ""):
        with self.client.get(url, headers=self.headers, name=name, catch_response=True) as r:
            # A redirect to the sign-in or two-factor page is a failure, not a fast answer; so
            # is an export that answers with a page (a refused month or format redirects).
            if r.status_code != 200 or "/accounts/" in (r.url or ""):
                r.failure(f"{r.status_code} {r.url}")
            elif content_type and content_type not in (r.headers.get("Content-Type") or ""):
                r.failure(f"{r.headers.get('Content-Type')} {r.url}")

    def section(self, url: str, name: str):
        """A section of a page, as htmx asks for it (the fragment alone)."""
        headers = {**self.headers, "HX-Request": "true"}
        with self.client.get(url, headers=headers, name=name, catch_response=True) as r:
            if r.status_code != 200 or "/accounts/" in (r.url or ""):
                r.failure(f"{r.status_code} {r.url}")


class MyConcerns(Signed):
    role = "educator"

    @task
    def my_concerns(self):
        self.page("/concerns/mine/", "my concerns")


class TriageQueue(Signed):
    role = "social_helper"

    @task
    def triage_queue(self):
        self.page("/concerns/queue/", "triage queue")


class ChildListFirst(Signed):
    role = "social_helper"

    @task
    def child_list_first(self):
        self.page("/children/", "child list, first page")


class ChildListDeep(Signed):
    role = "social_helper"

    @task
    def child_list_deep(self):
        cursor = self.account.get("deep_cursor") or ""
        self.page(f"/children/?after={cursor}", "child list, deep page")


class NameSearch(Signed):
    role = "social_helper"

    @task
    def name_search(self):
        term = random.choice(self.account["terms"] or ["szoke"])
        self.page(f"/children/?q={term}", "name search")


class OpenRecord(Signed):
    role = "social_helper"

    @task
    def open_record(self):
        child = random.choice(self.account["child_ids"])
        self.page(f"/children/{child}/", "open a record (audited)")


class CaseList(Signed):
    role = "case_worker"

    @task
    def case_list(self):
        self.page("/cases/", "my case list")


class ActivityList(Signed):
    role = "social_helper"

    @task
    def activity_list(self):
        self.page("/activities/?show=all", "activity list, all I may see")


class CaseDetail(Signed):
    role = "case_worker"

    @task
    def case_detail(self):
        case = random.choice(self.account.get("case_ids") or [0])
        self.page(f"/cases/{case}/", "case page")


class RecordHistory(Signed):
    """A record's history, the section the reader asks for on the child's page."""

    role = "social_helper"

    @task
    def record_history(self):
        child = random.choice(self.account["child_ids"])
        self.section(f"/children/{child}/history/", "a record's history (htmx)")


class RecordReaders(Signed):
    """Who has seen a record: the section the reader asks for on the child's page."""

    role = "social_helper"

    @task
    def record_readers(self):
        child = random.choice(self.account["child_ids"])
        self.section(f"/children/{child}/readers/", "who has seen a record (htmx)")


class AuditLogPerson(Signed):
    """The audit-log page of one child's year, as a data-protection officer asks for it."""

    role = "admin"

    @task
    def audit_log_person(self):
        child = random.choice(self.account["audit_child_ids"] or [0])
        since = self.account["year_ago"]
        self.page(f"/audit/?kind=people.child&record={child}&since={since}",
                  "audit log, one child's year")  # fmt: skip


class AuditLogAccount(Signed):
    """The audit-log page of one account's year: what a user read."""

    role = "admin"

    @task
    def audit_log_account(self):
        account = random.choice(self.account["audit_accounts"] or ["nobody"])
        since = self.account["year_ago"]
        self.page(f"/audit/?account={account}&since={since}", "audit log, one account's year")


class CaseChronology(Signed):
    """A case's chronology, loaded when the case page scrolls to it."""

    role = "case_worker"

    @task
    def case_chronology(self):
        case = random.choice(self.account.get("case_ids") or [0])
        self.section(f"/cases/{case}/chronology/", "a case's chronology (htmx)")


class RecordFamily(Signed):
    """A record's family and consents, loaded when the child's page scrolls to them."""

    role = "social_helper"

    @task
    def record_family(self):
        child = random.choice(self.account["child_ids"])
        self.section(f"/children/{child}/family/", "a record's family and consents (htmx)")


class RecordHelp(Signed):
    """The help around a child (activities, assisted contact), loaded as the page scrolls."""

    role = "social_helper"

    @task
    def record_help(self):
        child = random.choice(self.account["child_ids"])
        self.section(f"/children/{child}/help/", "a record's help and contact (htmx)")


class CaseMap(Signed):
    role = "case_worker"

    @task
    def case_map(self):
        case = random.choice(self.account.get("case_ids") or [0])
        self.section(f"/cases/{case}/map/", "a case's problem map (htmx)")


class CaseOutcomes(Signed):
    role = "case_worker"

    @task
    def case_outcomes(self):
        case = random.choice(self.account.get("case_ids") or [0])
        self.section(f"/cases/{case}/programmes-and-outcomes/", "a case's programmes (htmx)")


class CaseWork(Signed):
    role = "case_worker"

    @task
    def case_work(self):
        case = random.choice(self.account.get("case_ids") or [0])
        self.section(f"/cases/{case}/work/", "a case's discussions and documents (htmx)")


class WeekView(Signed):
    """The social helper's week of meetings, a week in which they have some."""

    role = "social_helper"

    @task
    def week_view(self):
        self.page(f"/activities/week/?week={self.account['week']}", "week view")


class ExportCsv(Signed):
    """A social helper's activity log of a whole month, as CSV (streamed)."""

    role = "social_helper"

    @task
    def export_csv(self):
        month = self.account["month"]
        self.page(f"/activities/export/?month={month}&format=csv", "monthly export, CSV", "csv")


class ExportXlsx(Signed):
    role = "social_helper"

    @task
    def export_xlsx(self):
        month = self.account["month"]
        self.page(f"/activities/export/?month={month}&format=xlsx", "monthly export, XLSX", "sheet")


class Figures(Signed):
    role = "manager"

    @task
    def figures(self):
        self.page("/concerns/figures/", "figures on concerns")


class ProgrammePage(Signed):
    """A manager reading the page of a programme they run: maintained figures only."""

    role = "manager"

    @task
    def programme(self):
        ids = self.account.get("programme_ids") or [0]
        self.page(f"/programmes/{random.choice(ids)}/", "programme page")


class ProgrammeReport(Signed):
    """A manager reading a draft funder's report: its period's figures as last counted."""

    role = "manager"

    @task
    def report(self):
        ids = self.account.get("report_ids") or [0]
        self.page(f"/programmes/reports/{random.choice(ids)}/", "funder's report, draft")


class CoveragePage(Signed):
    """A manager reading the coverage of their municipality's institutions: the maintained
    aggregate only."""

    role = "manager"

    @task
    def coverage(self):
        self.page("/workforce/coverage/", "coverage of institutions")


class MethodOutcomesOverview(Signed):
    """A manager reading the outcomes per method of their municipality: maintained figures."""

    role = "manager"

    @task
    def overview(self):
        self.page("/knowledge/outcomes/", "outcomes per method")


class MethodOutcomes(Signed):
    """A manager reading one method's outcomes: one maintained row."""

    role = "manager"

    @task
    def method(self):
        ids = self.account.get("method_ids") or [0]
        self.page(f"/knowledge/methods/{random.choice(ids)}/outcomes/", "a method's outcomes")


class SubmitConcern(Signed):
    """A school's system reporting through the API, with an idempotency key per report."""

    role = "educator"
    # One report a second per user: 20 users make the bar's 20 submissions a second.
    wait_time = constant_pacing(1)

    @task
    def submit(self):
        account = self.account
        payload = {
            "institution_id": account["institution_id"],
            "children": [{"child_id": random.choice(account["report_child_ids"])}],
            "what_happened": "Came to school hungry again; said there was no dinner.",
            "categories": ["neglect"],
            "parents_know": "no",
            "parents_not_told_why": "Could not reach them.",
        }
        headers = {
            "Authorization": f"Bearer {account['token']}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        with self.client.post(
            "/api/v1/concerns",
            json=payload,
            headers=headers,
            name="submit a concern (API)",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:200]}")


SCENARIOS = {
    "my_concerns": MyConcerns,
    "triage_queue": TriageQueue,
    "child_list_first": ChildListFirst,
    "child_list_deep": ChildListDeep,
    "name_search": NameSearch,
    "open_record": OpenRecord,
    "case_list": CaseList,
    "case_detail": CaseDetail,
    "record_history": RecordHistory,
    "case_chronology": CaseChronology,
    "record_family": RecordFamily,
    "record_help": RecordHelp,
    "case_map": CaseMap,
    "case_outcomes": CaseOutcomes,
    "case_work": CaseWork,
    "week_view": WeekView,
    "export_csv": ExportCsv,
    "export_xlsx": ExportXlsx,
    "figures": Figures,
    "coverage": CoveragePage,
    "submit_concern": SubmitConcern,
}


class ApiList(Signed):
    """A partner system reading a list through the API with its account's token."""

    abstract = True
    path = ""
    name = ""

    @task
    def read(self):
        headers = {"Authorization": f"Bearer {self.account['token']}"}
        with self.client.get(self.path, headers=headers, name=self.name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:200]}")


class ApiChildren(ApiList):
    role = "social_helper"
    path = "/api/v1/children?limit=50"
    name = "API: children, first page"


class ApiConcerns(ApiList):
    role = "social_helper"
    path = "/api/v1/concerns?limit=50"
    name = "API: concerns, first page"


class ApiCases(ApiList):
    role = "case_worker"
    path = "/api/v1/cases?limit=50"
    name = "API: cases, first page"


class ApiActivities(ApiList):
    role = "social_helper"
    path = "/api/v1/activities?limit=50"
    name = "API: activities, first page"


class StartPage(Signed):
    role = "social_helper"

    @task
    def start_page(self):
        self.page("/", "start page")


class StartPageSupervisor(Signed):
    role = "supervisor"

    @task
    def start_page(self):
        self.page("/", "start page (supervisor)")
