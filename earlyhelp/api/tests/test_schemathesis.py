"""Schemathesis over the API's own OpenAPI schema, in-process: every operation, called with a
token of every role, with data that fits the schema and data that does not. No answer may be a
5xx, and every answer must be one the schema documents, with the body it documents.

A fixed seed and a few examples per operation and role keep it short for `make test`;
`make fuzz` runs many more (EARLYHELP_FUZZ_EXAMPLES)."""

import os
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.db import transaction
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from earlyhelp.activities.tests.access_expectations import make_activity
from earlyhelp.api.models import ApiToken
from earlyhelp.cases.tests.access_expectations import make_case
from earlyhelp.concerns.tests.access_expectations import concern
from earlyhelp.contacts.models import Meeting
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.fostercare.tests.access_expectations import make_household
from earlyhelp.imports.tests.access_expectations import roster as import_roster
from earlyhelp.notifications.models import WebhookSubscription
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.tests.access_expectations import make_programme
from earlyhelp.screening.tests.access_expectations import make_round
from earlyhelp.tests.personas import ROLES

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("EARLYHELP_FUZZ_EXAMPLES", "4"))
SEED = int(os.environ.get("EARLYHELP_FUZZ_SEED", "16"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


def wsgi_app():
    """The project as a WSGI app that keeps the test's database transaction: Django's test
    handler, which does not close the connection at the end of each request."""
    handler = ClientHandler()

    def app(environ, start_response):
        response = handler(environ)
        headers = [*response.items()]
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    return app


def _failure(role, operation, mode, failure) -> str:
    title = getattr(failure, "title", type(failure).__name__)
    return f"{operation.label} ({mode.value}): {title}\n[{role}] {failure}"[:1000]


def _aim(case, data, targets: dict, role: str) -> None:
    """Point some generated ids at real rows (inside and outside the account's scope), so that
    cases get past "no such institution" into the service and the database. A target given
    per role (a row only its owner reaches) is drawn from that role's."""
    body = case.body if isinstance(case.body, dict) else {}
    if "institution_id" in body and data.draw(st.booleans()):
        body["institution_id"] = data.draw(st.sampled_from(targets["institution"]))
    for child in body.get("children") or []:
        if isinstance(child, dict) and "child_id" in child and data.draw(st.booleans()):
            child["child_id"] = data.draw(st.sampled_from(targets["child"]))
    for mark in body.get("attendance") or []:
        if isinstance(mark, dict) and "participant_id" in mark and data.draw(st.booleans()):
            mark["participant_id"] = data.draw(st.sampled_from(targets["participant"]))
    path = case.path_parameters or {}
    names = ("concern", "child", "case", "activity", "session", "round", "arrangement", "adult")
    for name in (*names, "institution", "household", "programme", "import", "meeting", "webhook"):
        if f"{name}_id" in path and data.draw(st.booleans()):
            pool = targets[name]
            pool = pool.get(role, pool["anonymous"]) if isinstance(pool, dict) else pool
            path[f"{name}_id"] = data.draw(st.sampled_from(pool))
    if "group_id" in body and data.draw(st.booleans()):
        body["group_id"] = data.draw(st.sampled_from(targets["group"]))
    if "url" in body and data.draw(st.booleans()):
        body["url"] = "http://127.0.0.1:9/fuzz"  # a webhook's receiver the test allows
    if "given_by_adult_id" in body and data.draw(st.booleans()):
        body["given_by_adult_id"] = data.draw(st.sampled_from(targets["adult"]))
    query = case.query if isinstance(case.query, dict) else {}
    for name in ("institution", "child"):
        if f"{name}_id" in query and data.draw(st.booleans()):
            query[f"{name}_id"] = data.draw(st.sampled_from(targets[name]))
    headers = case.headers if isinstance(case.headers, dict) else {}
    if "If-Match" in headers and data.draw(st.booleans()):
        # The version a fresh record has, so that a change gets past 412 into the service.
        headers["If-Match"] = '"1"'


def _fuzz(operation, mode, role: str, auth: dict, targets: dict, ran: list, failures: list):
    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case, data):
        if mode is GenerationMode.POSITIVE:
            _aim(case, data, targets, role)
        response = case.call(headers=auth)
        ran.append(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=auth)
        except FailureGroup as group:
            failures.extend(_failure(role, operation, mode, f) for f in group.exceptions)
        except AssertionError as failure:
            failures.append(_failure(role, operation, mode, failure))

    run()


def test_every_operation_for_every_role_answers_as_documented(world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app())
    # Every scope: what a role may do is the policy's to answer, not the token's.
    scopes = ["read", "write", "import"]
    tokens = {
        role: ApiToken.issue(user=world.users[role], name="fuzz", scopes=scopes)[1]
        for role in ROLES
    }
    targets = {
        "institution": [world.school_a1.pk, world.school_a2.pk, world.school_b1.pk],
        "child": [c.pk for c in (world.inside, world.secret, world.elsewhere, world.abroad)],
        "concern": [concern(world, True), concern(world, False)],
        "case": [make_case(world, True).pk, make_case(world, False).pk],
        "round": [make_round(world, True).pk, make_round(world, False).pk],
        "arrangement": [make_arrangement(world, True).pk, make_arrangement(world, False).pk],
        "adult": [world.parent_inside.pk, world.parent_abroad.pk],
        "group": [world.class_a1.pk, world.class_a2.pk, world.class_b1.pk],
        "household": [make_household(world, True).pk, make_household(world, False).pk],
        "programme": [make_programme(world, True).pk, make_programme(world, False).pk],
        "import": [import_roster(world, True), import_roster(world, False)],
    }
    activities = [make_activity(world, True), make_activity(world, False)]
    targets["activity"] = [a.pk for a in activities]
    targets["session"] = [s.pk for a in activities for s in a.sessions.all()]
    targets["participant"] = [p.pk for a in activities for p in a.participants.all()]

    # Each role's own webhook subscription, and another account's, which no role reaches.
    def subscription(user) -> int:
        return WebhookSubscription.objects.create(user=user, url="http://127.0.0.1:9/", salt="x").pk

    elsewhere = subscription(world.outsiders[Role.EDUCATOR])
    targets["webhook"] = {role: [subscription(world.users[role]), elsewhere] for role in ROLES} | {
        "anonymous": [elsewhere]
    }
    # The meetings of the arrangements above (one each), for recording and cancelling.
    meetings = Meeting.objects.filter(arrangement_id__in=targets["arrangement"])
    targets["meeting"] = list(meetings.values_list("pk", flat=True))
    ran, failures = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, "anonymous", {}, targets, ran, failures)
            for role, raw in tokens.items():
                auth = {"Authorization": f"Bearer {raw}"}
                _fuzz(operation, mode, role, auth, targets, ran, failures)
    server_errors = sum(status >= 500 for status in ran)
    kinds = Counter(failure.split("\n", 1)[0] for failure in failures)
    print(f"Schemathesis: {len(ran)} cases, {server_errors} answered 5xx, {len(failures)} failed")
    print("\n".join(f"{n:5} {kind}" for kind, n in kinds.most_common()))
    assert not failures, "\n\n".join(failures[:10])


def test_a_reported_concern_can_be_read_back(world):
    """Stateful: the schema's link from "report" to "read" is followed with the ids the API
    answered, for a reporter and for the social helper who receives the report."""
    # The concern operations only: a walk of four steps over every operation of the API
    # rarely reaches the link it is here to follow (each resource is fuzzed above).
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app())
    schema = schema.include(operation_id=["concern_create", "concern_detail", "concern_list"])
    answered = []
    for role in (Role.EDUCATOR, Role.SOCIAL_HELPER):
        raw = ApiToken.issue(user=world.users[role], name="fuzz")[1]
        auth = {"Authorization": f"Bearer {raw}"}

        class SignedIn(schema.as_state_machine()):
            headers = auth

            def setup(self):
                # Each scenario starts from the same rows, so that Hypothesis can replay it.
                self.savepoint = transaction.atomic()
                self.savepoint.__enter__()

            def teardown(self):
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)

            def before_call(self, case):
                # Report about a child the account may name, so the link has a concern to read.
                if isinstance(case.body, dict) and "institution_id" in case.body:
                    case.body["institution_id"] = world.school_a1.pk
                    case.body["children"] = [{"child_id": world.inside.pk, "role": "harmed"}]

            def get_call_kwargs(self, case):
                return {"headers": self.headers}

            def validate_response(self, response, case, additional_checks=None, **kwargs):
                answered.append((case.operation.label, response.status_code))
                case.validate_response(response, checks=CHECKS, headers=self.headers)

        SignedIn.run(
            settings=hypothesis.settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                stateful_step_count=4,
                suppress_health_check=list(HealthCheck),
            )
        )
    # The run reached the service, and the link was followed to read what it created.
    assert ("POST /api/v1/concerns", 201) in answered
    assert ("GET /api/v1/concerns/{concern_id}", 200) in answered
