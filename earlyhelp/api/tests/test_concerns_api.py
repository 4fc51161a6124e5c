"""Other systems report concerns through the API: safely retried, under the same policy."""

import pytest
from django.core.management import call_command

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _headers(user, key="key-0001"):
    _token, raw = ApiToken.issue(user=user, name="school register")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": key}


def _payload(world, **changes):
    payload = {
        "institution_id": world.school_a1.pk,
        "children": [
            {"child_id": world.inside.pk, "role": "harmed"},
            {"described_as": "his sister, 3.b", "role": "sibling"},
        ],
        "what_happened": "Bruises on both arms; said he fell.",
        "child_words": "Apa mérges volt.",
        "categories": ["physical_harm"],
        "parents_know": "no",
        "parents_not_told_why": "It may put him at risk.",
    }
    payload.update(changes)
    return payload


def test_the_same_idempotency_key_never_creates_two_concerns(world, client):
    headers = _headers(world.users[Role.EDUCATOR])
    first = client.post(
        "/api/v1/concerns", _payload(world), content_type="application/json", **headers
    )
    again = client.post(
        "/api/v1/concerns", _payload(world), content_type="application/json", **headers
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    assert Concern.objects.count() == 1
    concern = Concern.objects.get()
    assert concern.status == Concern.Status.SUBMITTED and concern.deadlines.exists()
    assert set(concern.children.values_list("role", flat=True)) == {"harmed", "sibling"}


def test_a_write_without_an_idempotency_key_is_refused(world, client):
    headers = _headers(world.users[Role.EDUCATOR])
    del headers["HTTP_IDEMPOTENCY_KEY"]
    response = client.post(
        "/api/v1/concerns", _payload(world), content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:earlyhelp:problem:idempotency-key-missing"
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"categories": ["not-a-category"]},
        {"children": []},
        {"what_happened": ""},
        {"parents_know": "maybe"},
    ],
)
def test_bad_input_is_explained_and_writes_nothing(world, client, changes):
    headers = _headers(world.users[Role.EDUCATOR])
    response = client.post(
        "/api/v1/concerns", _payload(world, **changes), content_type="application/json", **headers
    )
    assert response.status_code == 422
    assert response.json()["detail"] and response.json()["errors"]
    assert not Concern.objects.exists()


def test_a_child_outside_the_reporters_class_is_refused(world, client):
    headers = _headers(world.users[Role.EDUCATOR])
    payload = _payload(world, children=[{"child_id": world.elsewhere.pk, "role": "harmed"}])
    response = client.post("/api/v1/concerns", payload, content_type="application/json", **headers)
    assert response.status_code == 422
    assert not Concern.objects.exists()


def test_a_revoked_or_unknown_token_gets_401(world, client):
    headers = _headers(world.users[Role.SOCIAL_HELPER])
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/concerns", **headers).status_code == 401
    unknown = client.get("/api/v1/concerns", HTTP_AUTHORIZATION="Bearer nonsense")
    assert unknown.status_code == 401 and unknown["WWW-Authenticate"] == "Bearer"
    assert unknown.json()["status"] == 401


def test_reads_are_audited_and_details_follow_the_policy(world, client):
    client.post(
        "/api/v1/concerns",
        _payload(world),
        content_type="application/json",
        **_headers(world.users[Role.EDUCATOR]),
    )
    concern = Concern.objects.get()
    lead = client.get(
        f"/api/v1/concerns/{concern.pk}", **_headers(world.users[Role.INSTITUTION_LEAD])
    )
    assert lead.status_code == 200 and lead.json()["what_happened"] is None
    helper = client.get(
        f"/api/v1/concerns/{concern.pk}", **_headers(world.users[Role.SOCIAL_HELPER])
    )
    assert helper.json()["what_happened"].startswith("Bruises")
    assert AuditEvent.objects.filter(purpose="api", action="view").count() == 2


def test_the_openapi_schema_describes_the_concern_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/concerns" in schema["paths"]
    assert "/api/v1/concerns/{concern_id}" in schema["paths"]


def test_an_operator_issues_a_token_with_a_command(world, capsys):
    call_command("api_token", world.users[Role.SOCIAL_HELPER].username, name="register")
    raw = capsys.readouterr().out.strip()
    assert len(raw) > 30 and ApiToken.objects.filter(prefix=raw[:8]).exists()
