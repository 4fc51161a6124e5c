"""Webhooks through the API: an account subscribes its partner system to its own notifications,
reads and changes only its own subscriptions with the version as ETag / If-Match, gets the
signing secret once and never again from a stored answer, and every read and write is
audited."""

import pytest

from earlyhelp.api.models import ApiToken, IdempotencyKey
from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications import webhooks
from earlyhelp.notifications.models import WebhookDelivery, WebhookSubscription
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:8765/hooks/earlyhelp?token=partner-own-token"
SUBSCRIPTION = "notifications.webhooksubscription"


def _auth(user, scopes=None) -> dict:
    raw = ApiToken.issue(user=user, name="partner", scopes=scopes)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _create(client, auth, body=None, key="webhook-key-0001"):
    return client.post(
        "/api/v1/webhooks",
        body or {"url": URL, "kinds": ["new_concern", "message"]},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **auth,
    )


def _send(client, method, path, auth, etag=None, body=None, **headers):
    if etag:
        headers["HTTP_IF_MATCH"] = etag
    return getattr(client, method)(
        f"/api/v1/webhooks{path}", body or {}, content_type="application/json", **auth, **headers
    )


def test_a_subscription_is_created_with_its_secret_shown_once(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    auth = _auth(helper)
    answer = _create(client, auth)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    subscription = WebhookSubscription.objects.get()
    assert subscription.user == helper and subscription.kinds == ["new_concern", "message"]
    assert body["id"] == subscription.pk and body["version"] == 1 and body["active"]
    assert body["secret"] == webhooks.secret_text(subscription)
    # The answer kept for a retry holds no secret, and a retry answers without it.
    stored = IdempotencyKey.objects.get(user=helper)
    assert stored.response["secret"] is None
    assert body["secret"].removeprefix("whsec_") not in str(stored.response)
    retry = _create(client, auth)
    assert retry.status_code == 200
    assert retry.json() == {**body, "secret": None}
    assert WebhookSubscription.objects.count() == 1
    # Audited with the host only: the address may hold the partner's own token.
    row = AuditEvent.objects.get(object_type=SUBSCRIPTION, action="create")
    assert row.changes["host"] == "127.0.0.1" and "partner-own-token" not in str(row.changes)


def test_an_address_the_operator_does_not_allow_is_refused(world, client, settings):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    settings.EARLYHELP_WEBHOOK_HOSTS = ["partner.example.org"]
    for url in ("https://elsewhere.example.org/hooks", "http://partner.example.org/hooks"):
        answer = _create(client, auth, {"url": url}, key=f"key-{url}")
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "url"
    assert _create(client, auth, {"url": "https://partner.example.org/h"}).status_code == 201
    unknown = _create(client, auth, {"url": URL, "kinds": ["account_invitation"]}, key="other-key")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "kinds.0"


def test_webhooks_off_is_said_plainly(world, client, settings):
    settings.EARLYHELP_WEBHOOK_HOSTS = []
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    answer = _create(client, auth)
    assert answer.status_code == 403
    problem = answer.json()
    assert problem["type"] == "urn:earlyhelp:problem:webhooks-off"
    assert "EARLYHELP_WEBHOOK_HOSTS" in problem["detail"]
    assert not WebhookSubscription.objects.exists()
    # The refused create freed its key: the same request is answered once webhooks are on.
    settings.EARLYHELP_WEBHOOK_HOSTS = ["127.0.0.1"]
    assert _create(client, auth).status_code == 201


def test_an_account_reads_its_own_subscriptions_only(world, client):
    helper, supervisor = world.users[Role.SOCIAL_HELPER], world.users[Role.SUPERVISOR]
    mine = _create(client, _auth(helper)).json()
    theirs = _create(client, _auth(supervisor)).json()
    auth = _auth(helper)
    listed = client.get("/api/v1/webhooks", **auth).json()
    assert [item["id"] for item in listed["items"]] == [mine["id"]]
    assert "secret" not in listed["items"][0] and listed["next_cursor"] is None
    read = client.get(f"/api/v1/webhooks/{mine['id']}", **auth)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert client.get(f"/api/v1/webhooks/{theirs['id']}", **auth).status_code == 404
    # Nor an administrator, through the API.
    admin = _auth(world.users[Role.ADMIN])
    assert client.get(f"/api/v1/webhooks/{mine['id']}", **admin).status_code == 404
    assert client.get("/api/v1/webhooks", **admin).json()["items"] == []
    reads = AuditEvent.objects.filter(object_type=SUBSCRIPTION, purpose="api", actor_id=helper.pk)
    assert reads.filter(action="list").count() == 1
    assert reads.filter(action="view", object_id=str(mine["id"])).count() == 1


def test_pages_of_subscriptions_follow_the_cursor(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    made = [_create(client, auth, key=f"webhook-key-{n:04}").json()["id"] for n in range(3)]
    first = client.get("/api/v1/webhooks", {"limit": 2}, **auth).json()
    second = client.get("/api/v1/webhooks", {"limit": 2, "cursor": first["next_cursor"]}, **auth)
    seen = [item["id"] for item in first["items"] + second.json()["items"]]
    assert seen == sorted(made, reverse=True)
    assert client.get("/api/v1/webhooks", {"cursor": "forged"}, **auth).status_code == 422


def test_a_change_needs_the_etag_read_and_a_stale_one_is_refused(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    auth = _auth(helper)
    made = _create(client, auth).json()
    path = f"/{made['id']}"
    assert _send(client, "patch", path, auth, body={"active": False}).status_code == 428
    changed = _send(client, "patch", path, auth, '"1"', {"kinds": [], "active": False})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["kinds"] == [] and not changed.json()["active"]
    assert changed["ETag"] == '"2"'
    stale = _send(client, "patch", path, auth, '"1"', {"active": True})
    assert stale.status_code == 412 and stale.json()["type"].endswith(":stale")
    emptied = _send(client, "patch", path, auth, '"2"', {"url": None})
    assert emptied.status_code == 422 and emptied.json()["errors"][0]["field"] == "url"
    elsewhere = _send(client, "patch", path, auth, '"2"', {"url": "https://example.com/"})
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "url"
    row = AuditEvent.objects.get(object_type=SUBSCRIPTION, action="change")
    assert row.changes == {"kinds": [["new_concern", "message"], []], "active": [True, False]}
    # Another account's: 404, changed or not.
    other = _auth(world.users[Role.SUPERVISOR])
    assert _send(client, "patch", path, other, '"2"', {"active": True}).status_code == 404


def test_a_subscription_is_deleted_with_its_etag(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    made = _create(client, auth).json()
    path = f"/{made['id']}"
    assert _send(client, "delete", path, auth).status_code == 428
    assert _send(client, "delete", path, auth, '"7"').status_code == 412
    stranger = _auth(world.users[Role.SUPERVISOR])
    assert _send(client, "delete", path, stranger, '"1"').status_code == 404
    deleted = _send(client, "delete", path, auth, '"1"')
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(f"/api/v1/webhooks{path}", **auth).status_code == 404
    assert AuditEvent.objects.filter(
        object_type=SUBSCRIPTION, object_id=str(made["id"]), action="delete"
    ).exists()


def test_rotating_the_secret_answers_a_new_one_once(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    made = _create(client, auth).json()
    path = f"/{made['id']}/rotate-secret"
    assert _send(client, "post", path, auth).status_code == 428
    rotated = _send(client, "post", path, auth, '"1"')
    assert rotated.status_code == 200
    secret = rotated.json()["secret"]
    assert secret.startswith("whsec_") and secret != made["secret"]
    assert secret == webhooks.secret_text(WebhookSubscription.objects.get())
    assert rotated["ETag"] == '"2"'
    # A retry with the old tag rotates nothing a second time.
    assert _send(client, "post", path, auth, '"1"').status_code == 412
    assert (
        AuditEvent.objects.filter(
            object_type=SUBSCRIPTION, purpose="webhook secret rotated"
        ).count()
        == 1
    )


def test_a_ping_is_queued_for_that_subscription_and_listed_with_its_deliveries(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    made = _create(client, auth).json()
    other = _create(client, auth, key="webhook-key-0002").json()
    ping = _send(client, "post", f"/{made['id']}/ping", auth, HTTP_IDEMPOTENCY_KEY="ping-0001")
    assert ping.status_code == 201, ping.json()
    assert ping.json()["type"] == "ping" and ping.json()["status"] == "pending"
    again = _send(client, "post", f"/{made['id']}/ping", auth, HTTP_IDEMPOTENCY_KEY="ping-0001")
    assert again.status_code == 200 and again.json()["id"] == ping.json()["id"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription_id == made["id"] and delivery.notification is None
    listed = client.get(f"/api/v1/webhooks/{made['id']}/deliveries", **auth).json()
    assert [item["id"] for item in listed["items"]] == [delivery.pk]
    assert listed["items"][0]["attempts"] == 0
    assert client.get(f"/api/v1/webhooks/{other['id']}/deliveries", **auth).json()["items"] == []
    assert AuditEvent.objects.filter(
        object_type="notifications.webhookdelivery", action="list", purpose="api"
    ).exists()
    # Not for an inactive subscription; not without a key.
    _send(client, "patch", f"/{made['id']}", auth, '"1"', {"active": False})
    paused = _send(client, "post", f"/{made['id']}/ping", auth, HTTP_IDEMPOTENCY_KEY="ping-0002")
    assert paused.status_code == 422
    assert _send(client, "post", f"/{other['id']}/ping", auth).status_code == 400
    stranger = _auth(world.users[Role.SUPERVISOR])
    path = f"/{made['id']}/ping"
    refused = _send(client, "post", path, stranger, HTTP_IDEMPOTENCY_KEY="ping-0003")
    assert refused.status_code == 404


def test_a_read_only_token_may_not_write(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    made = _create(client, _auth(helper)).json()
    reader = _auth(helper, scopes=["read"])
    assert client.get("/api/v1/webhooks", **reader).status_code == 200
    assert _create(client, reader, key="webhook-key-0009").status_code == 403
    path = f"/{made['id']}"
    assert _send(client, "patch", path, reader, '"1"', {"active": False}).status_code == 403
    assert _send(client, "delete", path, reader, '"1"').status_code == 403
    assert _send(client, "post", f"{path}/rotate-secret", reader, '"1"').status_code == 403
    ping = _send(client, "post", f"{path}/ping", reader, HTTP_IDEMPOTENCY_KEY="ping-0001")
    assert ping.status_code == 403
