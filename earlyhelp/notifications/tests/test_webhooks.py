"""Webhooks: an account's notifications reach its partner system's receiver once, signed as the
Standard Webhooks specification says, retried with backoff, and never anywhere the operator has
not allowed."""

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications import webhooks
from earlyhelp.notifications.models import Notification, WebhookDelivery, WebhookSubscription
from earlyhelp.notifications.services import notify
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's receiver on this machine: what it was sent, and what it answers."""

    def __init__(self):
        self.calls: list[dict] = []
        self.status = 200
        self.headers: dict[str, str] = {}
        self.url = ""


@pytest.fixture
def receiver(settings):
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.calls.append(
                {
                    "path": self.path,
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "body": self.rfile.read(length).decode(),
                }
            )
            self.send_response(received.status)
            for name, value in received.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_port}/hooks/earlyhelp"
    settings.EARLYHELP_WEBHOOK_HOSTS = ["127.0.0.1"]
    yield received
    server.shutdown()
    server.server_close()
    thread.join()


def _subscribe(user, url="http://127.0.0.1:9/hooks", kinds=()):
    """A subscription of `user`, which holds a token as the partner that made it does."""
    if not ApiToken.objects.active().filter(user=user).exists():
        ApiToken.issue(user=user, name="Partner system")
    subscription, secret = webhooks.subscription_create(user=user, url=url, kinds=list(kinds))
    return subscription, secret


def _tell(user, kind=Notification.Kind.NEW_CONCERN, event="concern:1:submitted"):
    return notify(recipients=[user], kind=kind, url="/concerns/1/", event=event)


def _verify(call: dict, secret: str) -> None:
    """The receiver's check, written from the specification, not from the sender's code."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    headers = call["headers"]
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{call['body']}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    version, _, sent = headers["webhook-signature"].partition(",")
    assert version == "v1"
    assert hmac.compare_digest(sent, expected)
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60


# --- The outbox -------------------------------------------------------------------------------


def test_a_notification_to_a_subscriber_writes_its_delivery_in_the_same_transaction(world):
    helper = world.users[Role.SOCIAL_HELPER]
    subscription, _secret = _subscribe(helper)
    with pytest.raises(RuntimeError), transaction.atomic():
        _tell(helper)
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("the change fails after notifying")
    assert not WebhookDelivery.objects.exists() and not Notification.objects.exists()

    _tell(helper)
    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription == subscription
    assert delivery.notification == Notification.objects.get(recipient=helper)
    assert delivery.kind == "new_concern" and delivery.status == "pending"
    # A replay of the event writes neither a notification nor a delivery.
    assert _tell(helper) == 0
    assert WebhookDelivery.objects.count() == 1


def test_only_the_kinds_chosen_reach_a_subscription(world):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, kinds=["message"])
    _tell(helper)
    assert not WebhookDelivery.objects.exists()
    _tell(helper, kind=Notification.Kind.MESSAGE, event="concern:1:message:1")
    assert list(WebhookDelivery.objects.values_list("kind", flat=True)) == ["message"]


def test_an_inactive_subscription_and_another_accounts_get_nothing(world):
    helper, supervisor = world.users[Role.SOCIAL_HELPER], world.users[Role.SUPERVISOR]
    paused, _secret = _subscribe(helper)
    paused.active = False
    paused.save()
    _subscribe(supervisor)
    _tell(helper)
    assert not WebhookDelivery.objects.exists()


def test_an_invitation_is_never_sent_to_a_webhook(world):
    # Its link sets the account's password: for the owner's eyes alone.
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper)
    _tell(helper, kind=Notification.Kind.ACCOUNT_INVITATION, event="invitation:1")
    assert Notification.objects.count() == 1
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_asks_a_worker_to_send_it_with_the_change(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper)
    with transaction.atomic():
        _tell(helper)
        paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "earlyhelp.notifications.tasks.send_webhook_batch" in paths


def test_the_task_sends_once_the_change_is_committed(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _tell(helper)
        assert receiver.calls == []  # not before the commit
    assert len(receiver.calls) == 1


# --- Sending ----------------------------------------------------------------------------------


def test_a_delivery_reaches_the_receiver_signed_and_without_personal_data(
    world, receiver, settings
):
    helper = world.users[Role.SOCIAL_HELPER]
    subscription, secret = _subscribe(helper, url=receiver.url)
    _tell(helper)
    assert webhooks.send_webhooks() == 1
    assert webhooks.send_webhooks() == 0
    [call] = receiver.calls
    delivery = WebhookDelivery.objects.get()
    assert call["path"] == "/hooks/earlyhelp"
    assert call["headers"]["content-type"] == "application/json"
    assert call["headers"]["webhook-id"] == str(delivery.pk)
    _verify(call, secret)
    notification = Notification.objects.get()
    body = json.loads(call["body"])
    assert body == {
        "id": str(delivery.pk),
        "type": "new_concern",
        "occurred_at": body["occurred_at"],
        "link": f"{settings.EARLYHELP_SITE_URL.rstrip('/')}/concerns/1/",
    }
    assert abs(
        timezone.datetime.fromisoformat(body["occurred_at"]) - notification.created_at
    ) < timedelta(seconds=1)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.last_status_code == 200
    assert delivery.attempts == 1 and delivery.claimed_at is None
    subscription.refresh_from_db()
    assert subscription.last_delivered_at == delivery.delivered_at


def test_a_failed_attempt_is_retried_later_with_the_same_id(world, receiver):
    helper = world.users[Role.SOCIAL_HELPER]
    subscription, secret = _subscribe(helper, url=receiver.url)
    _tell(helper)
    receiver.status = 500
    before = timezone.now()
    assert webhooks.send_webhooks() == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.status == "pending"
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    assert before + timedelta(minutes=1) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    # Not due yet: nothing is sent.
    webhooks.send_webhooks()
    assert len(receiver.calls) == 1

    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.send_webhooks()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at >= timezone.now() + timedelta(minutes=4)
    first, second = receiver.calls
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == str(delivery.pk)
    _verify(second, secret)
    subscription.refresh_from_db()
    assert subscription.failing_since is not None and subscription.active

    receiver.status = 204
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhooks.send_webhooks() == 1
    subscription.refresh_from_db()
    assert subscription.failing_since is None


def test_the_last_failed_attempt_gives_the_delivery_up(world, receiver):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    receiver.status = 503
    WebhookDelivery.objects.update(attempts=webhooks.MAX_ATTEMPTS - 1)
    webhooks.send_webhooks()
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert delivery.status == "failed" and delivery.gave_up_at is not None
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(days=1))
    webhooks.send_webhooks()
    assert len(receiver.calls) == 1
    # About a day of attempts in all.
    assert timedelta(hours=12) < sum(webhooks.BACKOFF, timedelta()) < timedelta(days=1)


def test_a_delivery_left_pending_for_two_days_is_given_up(world, receiver):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=2, minutes=1))
    assert webhooks.send_webhooks() == 0
    assert receiver.calls == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.last_error == "expired"


def test_nothing_goes_to_a_partner_without_a_token_until_it_holds_one_again(world, receiver):
    """Revoked or expired, the partner's last token ends what it is sent: it could neither
    read what an event links to nor end its subscriptions. What waited is given up; a new
    token resumes the subscription for the events that follow."""
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper, event="concern:1:submitted")
    ApiToken.objects.filter(user=helper).update(revoked_at=timezone.now())
    assert webhooks.send_webhooks() == 0 and receiver.calls == []
    waited = WebhookDelivery.objects.get()
    assert waited.status == "failed" and waited.last_error == "not deliverable"
    _tell(helper, event="concern:2:submitted")
    assert WebhookDelivery.objects.count() == 1  # the second event wrote none

    token, _raw = ApiToken.issue(user=helper, name="Partner system", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _tell(helper, event="concern:3:submitted")
    assert WebhookDelivery.objects.count() == 1

    ApiToken.issue(user=helper, name="Partner system")
    _tell(helper, event="concern:4:submitted")
    assert webhooks.send_webhooks() == 1 and len(receiver.calls) == 1
    sent = WebhookDelivery.objects.get(delivered_at__isnull=False)
    assert sent.pk != waited.pk and json.loads(receiver.calls[0]["body"])["id"] == str(sent.pk)


def test_a_token_revoked_between_choosing_and_claiming_stops_the_sending(
    world, receiver, monkeypatch
):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)

    class RevokedBeforeTheClaim:
        @staticmethod
        def atomic():
            ApiToken.objects.filter(user=helper).update(revoked_at=timezone.now())
            return transaction.atomic()

    monkeypatch.setattr(webhooks, "transaction", RevokedBeforeTheClaim)
    assert webhooks.send_webhooks() == 0 and receiver.calls == []
    assert WebhookDelivery.objects.get().attempts == 0


def test_the_sweep_deletes_deliveries_older_than_the_log_keeps(world, receiver, monkeypatch):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper, event="concern:1:submitted")
    _tell(helper, event="concern:2:submitted")
    assert webhooks.send_webhooks() == 2
    monkeypatch.setattr(webhooks, "DELETE_BATCH", 1)
    old, kept = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - webhooks.KEEP_DELIVERIES - timedelta(minutes=1)
    )
    WebhookDelivery.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - webhooks.KEEP_DELIVERIES + timedelta(minutes=1)
    )
    webhooks.send_webhooks()
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_redirect_is_an_answer_not_followed(world, receiver):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    receiver.status = 302
    receiver.headers = {"Location": "/elsewhere"}
    webhooks.send_webhooks()
    assert [call["path"] for call in receiver.calls] == ["/hooks/earlyhelp"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code == 302


def test_two_senders_never_send_one_delivery_twice(world, receiver, monkeypatch):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    opener = webhooks._OPENER
    inner = []

    class SecondSender:
        """While the first sender posts, a second one runs its pass."""

        def open(self, request, timeout):
            inner.append(webhooks.send_webhooks())
            return opener.open(request, timeout=timeout)

    monkeypatch.setattr(webhooks, "_OPENER", SecondSender())
    assert webhooks.send_webhooks() == 1
    assert inner == [0]
    assert len(receiver.calls) == 1


def test_a_sender_killed_after_claiming_is_retried_after_its_claim_expires(world, receiver):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    WebhookDelivery.objects.update(claimed_at=timezone.now(), attempts=1)
    assert webhooks.send_webhooks() == 0
    WebhookDelivery.objects.update(claimed_at=timezone.now() - timedelta(minutes=11))
    assert webhooks.send_webhooks() == 1
    assert WebhookDelivery.objects.get().attempts == 2


def test_a_host_no_longer_allowed_is_never_called(world, receiver, settings):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    settings.EARLYHELP_WEBHOOK_HOSTS = ["partner.example.org"]
    assert webhooks.send_webhooks() == 0
    assert receiver.calls == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_error == "not sent: address refused (host)"


def test_a_subscription_failing_for_a_day_is_set_inactive(world, receiver):
    helper = world.users[Role.SOCIAL_HELPER]
    subscription, _secret = _subscribe(helper, url=receiver.url)
    _tell(helper)
    _tell(helper, event="concern:2:submitted")
    WebhookSubscription.objects.update(failing_since=timezone.now() - timedelta(days=1, minutes=1))
    receiver.status = 500
    webhooks.send_webhooks(limit=1)
    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_at is not None
    assert subscription.version == 2
    # The other delivery is given up with it, and never sent.
    assert set(WebhookDelivery.objects.values_list("gave_up_at", flat=True)) != {None}
    assert not WebhookDelivery.objects.filter(gave_up_at__isnull=True).exists()
    webhooks.send_webhooks()
    assert len(receiver.calls) == 1
    assert AuditEvent.objects.filter(
        object_type="notifications.webhooksubscription",
        object_id=str(subscription.pk),
        purpose="webhook set inactive after a day of failures",
    ).exists()


def test_the_sweep_command_runs_one_pass(world, receiver, capsys):
    helper = world.users[Role.SOCIAL_HELPER]
    _subscribe(helper, url=receiver.url)
    _tell(helper)
    call_command("send_webhooks")
    assert "Delivered 1" in capsys.readouterr().out


# --- Secrets and addresses --------------------------------------------------------------------


def test_the_signature_matches_the_specifications_example():
    key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = '{"test": 2432232314}'
    assert (
        webhooks.signature(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_the_secret_is_never_stored_and_follows_the_salt_and_the_secret_key(world, settings):
    subscription, secret = _subscribe(world.users[Role.SOCIAL_HELPER])
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    stored = json.dumps(list(WebhookSubscription.objects.values()), default=str)
    assert secret.removeprefix("whsec_") not in stored
    assert webhooks.secret_text(subscription) == secret
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert webhooks.secret_text(subscription) != secret


def test_addresses_are_checked_against_the_allow_list(settings):
    settings.DEBUG = False
    settings.EARLYHELP_WEBHOOK_HOSTS = ["partner.example.org", "*.example.net", "localhost"]
    for allowed in (
        "https://partner.example.org/hooks",
        "https://a.b.example.net:8443/x?y=1",
        "http://localhost:8000/hooks",
    ):
        webhooks.url_check(allowed)
    for refused in (
        "https://example.net/",  # the wildcard covers subdomains only
        "https://evil.example.org/",
        "https://partner.example.org.evil.com/",
        "http://partner.example.org/",  # not https
        "https://user:password@partner.example.org/",
        "ftp://partner.example.org/",
        "https://partner.example.org:notaport/",
        "https://[::1/",
        "partner.example.org/hooks",
    ):
        with pytest.raises(ValidationError):
            webhooks.url_check(refused)
    settings.DEBUG = True
    webhooks.url_check("http://partner.example.org/")
    settings.EARLYHELP_WEBHOOK_HOSTS = []
    with pytest.raises(webhooks.WebhooksOff):
        webhooks.url_check("https://partner.example.org/hooks")
