"""The API's contract (docs/api.md): problem details for every error, in the account's
language; unknown fields, control characters, oversized texts, bodies and lists refused by
name; an Idempotency-Key that never silently drops a different body."""

import json

import pytest
from django.test import override_settings

from earlyhelp.api.models import ApiToken, IdempotencyKey
from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db

URL = "/api/v1/concerns"


def _headers(user, key="key-0001", **extra):
    _token, raw = ApiToken.issue(user=user, name="school register")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": key, **extra}


def _payload(world, **changes):
    payload = {
        "institution_id": world.school_a1.pk,
        "children": [{"child_id": world.inside.pk, "role": "harmed"}],
        "what_happened": "Came to school hungry three days this week.",
        "child_words": "Nincs otthon kenyér.",
        "categories": ["neglect"],
        "parents_know": "yes",
        "immediate_danger": False,
    }
    payload.update(changes)
    return payload


def _post(client, world, payload, **headers):
    headers = headers or _headers(world.users[Role.EDUCATOR])
    return client.post(URL, payload, content_type="application/json", **headers)


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def _fields(body) -> set:
    return {error["field"] for error in body["errors"]}


def test_a_misspelled_field_is_refused_by_name_and_nothing_is_lost(world, client):
    payload = _payload(world)
    payload["child_word"] = payload.pop("child_words")
    body = _problem(_post(client, world, payload), 422)
    assert "child_word" in _fields(body)
    assert not Concern.objects.exists()


def test_an_unknown_field_inside_a_child_is_refused_too(world, client):
    children = [{"child_id": world.inside.pk, "role": "harmed", "nickname": "B."}]
    body = _problem(_post(client, world, _payload(world, children=children)), 422)
    assert _fields(body) == {"children.0.nickname"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("what_happened", "Bruises\x00 on both arms"),
        ("child_words", "\x1b[31m"),
        ("what_happened", "next line\x85"),
    ],
)
def test_control_characters_are_refused_on_every_database(world, client, field, value):
    body = _problem(_post(client, world, _payload(world, **{field: value})), 422)
    assert _fields(body) == {field}
    assert not Concern.objects.exists()


def test_a_nul_in_a_childs_description_is_refused(world, client):
    children = [{"described_as": "his sister\x00, 3.b", "role": "sibling"}]
    body = _problem(_post(client, world, _payload(world, children=children)), 422)
    assert _fields(body) == {"children.0.described_as"}


def test_tabs_and_line_breaks_are_kept_in_multi_line_text(world, client):
    text = "First day:\tno breakfast.\r\nSecond day: the same."
    response = _post(client, world, _payload(world, what_happened=text))
    assert response.status_code == 201
    assert Concern.objects.get().what_happened == text


def test_a_text_over_its_limit_is_refused_with_the_limit(world, client):
    body = _problem(_post(client, world, _payload(world, what_happened="x" * 20001)), 422)
    assert _fields(body) == {"what_happened"}
    assert "20000" in body["errors"][0]["message"]


def test_duplicate_categories_are_refused(world, client):
    body = _problem(_post(client, world, _payload(world, categories=["neglect"] * 5000)), 422)
    assert "categories" in _fields(body)
    assert not Concern.objects.exists()


def test_the_same_child_named_twice_is_refused(world, client):
    child = {"child_id": world.inside.pk, "role": "harmed"}
    body = _problem(_post(client, world, _payload(world, children=[child, child])), 422)
    assert _fields(body) == {"children.1.child_id"}


def test_a_member_sent_twice_in_the_json_is_refused(world, client):
    raw = json.dumps(_payload(world))[:-1] + ', "immediate_danger": true}'
    response = client.post(
        URL, raw, content_type="application/json", **_headers(world.users[Role.EDUCATOR])
    )
    assert "immediate_danger" in _problem(response, 400)["detail"]


def test_a_body_that_is_not_json_gets_415(world, client):
    response = client.post(
        URL, "what_happened=x", content_type="text/plain", **_headers(world.users[Role.EDUCATOR])
    )
    _problem(response, 415)


def test_a_huge_id_is_refused_not_overflowed(world, client):
    headers = _headers(world.users[Role.SOCIAL_HELPER])
    _problem(client.get(f"{URL}/{2**64}", **headers), 422)
    _problem(client.get(URL, {"after": 2**70}, **headers), 422)


def test_a_malformed_idempotency_key_is_refused_with_what_it_should_be(world, client):
    headers = _headers(world.users[Role.EDUCATOR], key="has spaces in it")
    body = _problem(_post(client, world, _payload(world), **headers), 422)
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert "ASCII" in body["errors"][0]["message"]


def test_an_unknown_query_parameter_is_refused(world, client):
    response = client.get(URL, {"limt": 5}, **_headers(world.users[Role.SOCIAL_HELPER]))
    assert _fields(_problem(response, 422)) == {"limt"}


def test_the_same_key_with_a_different_body_is_refused(world, client):
    headers = _headers(world.users[Role.EDUCATOR])
    assert _post(client, world, _payload(world), **headers).status_code == 201
    changed = _payload(world, immediate_danger=True)
    body = _problem(_post(client, world, changed, **headers), 422)
    assert body["type"] == "urn:earlyhelp:problem:idempotency-key-reused"
    assert Concern.objects.count() == 1


def test_a_retry_with_the_same_body_in_another_order_gets_the_first_answer(world, client):
    headers = _headers(world.users[Role.EDUCATOR])
    first = _post(client, world, _payload(world), **headers)
    reordered = dict(reversed(list(_payload(world).items())))
    again = _post(client, world, reordered, **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()


def test_a_request_while_the_first_with_its_key_is_in_progress_gets_409(world, client):
    user = world.users[Role.EDUCATOR]
    headers = _headers(user)
    first = _post(client, world, _payload(world), **headers)
    # As if the first request were still being worked on in another process.
    IdempotencyKey.objects.filter(key="key-0001").update(status=None, response=None)
    body = _problem(_post(client, world, _payload(world), **headers), 409)
    assert body["type"] == "urn:earlyhelp:problem:idempotency-key-in-progress"
    assert first.status_code == 201 and Concern.objects.count() == 1


def test_a_refused_write_frees_its_key_for_the_corrected_retry(world, client):
    headers = _headers(world.users[Role.EDUCATOR])
    abroad = [{"child_id": world.abroad.pk, "role": "harmed"}]
    _problem(_post(client, world, _payload(world, children=abroad), **headers), 422)
    assert not IdempotencyKey.objects.exists()
    assert _post(client, world, _payload(world), **headers).status_code == 201


def test_errors_are_in_the_accounts_language(world, client):
    user = world.users[Role.EDUCATOR]
    user.preferred_language = "hu"
    user.save(update_fields=["preferred_language"])
    payload = _payload(world)
    del payload["what_happened"]
    response = _post(client, world, payload, **_headers(user, HTTP_ACCEPT_LANGUAGE="da"))
    body = _problem(response, 422)
    assert body["errors"] == [
        {"field": "what_happened", "message": "Ennek a mezőnek a megadása kötelező."}
    ]
    assert response["Content-Language"] == "hu"
    missing = client.get(f"{URL}/{10**9}", **_headers(user, "key-0002", HTTP_ACCEPT_LANGUAGE="da"))
    assert _problem(missing, 404)["title"] == "Nem található"


def test_before_sign_in_errors_are_in_the_accept_language_language(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="cs")
    _problem(response, 401)
    assert response["Content-Language"] == "cs"
    unknown = client.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="cs")
    assert _problem(unknown, 404)["title"] == "Nenalezeno"


def test_a_wrong_method_and_an_unknown_path_get_problems(world, client):
    headers = _headers(world.users[Role.SOCIAL_HELPER])
    assert "POST" in _problem(client.delete(URL, **headers), 405)["detail"]
    _problem(client.get("/api/v1/nothing-here", **headers), 404)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_gets_413_as_json(world, client):
    payload = _payload(world, what_happened="x" * 12_000)
    body = _problem(_post(client, world, payload), 413)
    assert body["limit"] == 10_000
    assert not Concern.objects.exists()


def test_the_schema_documents_every_status_with_its_problem_body(client):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/concerns"]["post"]
    for status in ("400", "401", "403", "404", "409", "413", "415", "422"):
        content = create["responses"][status]["content"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/ProblemOut")
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"]
    detail = schema["paths"]["/api/v1/concerns/{concern_id}"]["get"]["responses"]
    assert {"200", "401", "404", "422"} <= set(detail)
    assert schema["components"]["schemas"]["ConcernIn"]["additionalProperties"] is False


def test_a_fault_is_a_problem_too_and_says_nothing_of_it(world, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("earlyhelp.api.api.audit_list", broken)
    response = client.get(URL, **_headers(world.users[Role.SOCIAL_HELPER]))
    body = _problem(response, 500)
    assert "fire" not in response.content.decode() and body["request_id"]


def test_every_schema_of_the_api_has_a_name_of_its_own():
    """django-ninja names a schema's OpenAPI component after its class: two classes of one name
    in two modules would be one component, and one of them documented wrongly."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import earlyhelp.api

    seen = {}
    for module_info in pkgutil.iter_modules(earlyhelp.api.__path__):
        module = importlib.import_module(f"earlyhelp.api.{module_info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                assert seen.setdefault(name, module.__name__) == module.__name__, name
