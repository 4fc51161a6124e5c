"""API tokens expire and carry scopes, and issuing and revoking them is audited."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.api.services import api_token_issue
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _list(client, raw):
    return client.get("/api/v1/concerns", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_an_expired_token_answers_401_like_an_unknown_one(world, client, settings):
    settings.EARLYHELP_API_TOKEN_DAYS = 90
    token, raw = api_token_issue(user=world.users[Role.SOCIAL_HELPER], name="register")
    assert token.expires_at > timezone.now() + timedelta(days=89)
    assert _list(client, raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _list(client, raw).status_code == 401
    assert _list(client, "no-such-token").status_code == 401


def test_issuing_and_revoking_are_audited(world, capsys):
    user = world.users[Role.SOCIAL_HELPER]
    call_command("api_token", user.username, name="register", days=30)
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(prefix=raw[:8])
    assert (
        timezone.now() + timedelta(days=29) < token.expires_at < timezone.now() + timedelta(days=31)
    )
    call_command("api_token", user.username, revoke=raw[:8])
    token.refresh_from_db()
    assert token.revoked_at is not None
    rows = AuditEvent.objects.filter(object_type="api.apitoken", object_id=str(token.pk))
    assert {row.action for row in rows} == {"create", "change"}
    assert "API token revoked" in {row.purpose for row in rows}


def test_a_token_is_issued_with_the_scopes_asked_for_and_read_and_write_by_default(world, capsys):
    user = world.users[Role.SOCIAL_HELPER]
    call_command("api_token", user.username, name="reports", scopes=["read"])
    reader = ApiToken.objects.get(prefix=capsys.readouterr().out.strip()[:8])
    assert reader.scopes == ["read"] and not reader.allows("write")
    created = AuditEvent.objects.get(object_type="api.apitoken", object_id=str(reader.pk))
    assert created.changes["scopes"] == ["read"]
    token, _raw = api_token_issue(user=user, name="register")
    assert token.scopes == ["read", "write"]


@time_machine.travel(datetime(2026, 12, 7, 9, 0, 15, tzinfo=UTC), tick=False)
def test_a_token_over_its_limit_a_minute_waits_and_others_do_not(world, client, settings):
    settings.EARLYHELP_API_REQUESTS_PER_MINUTE = 3
    _token, busy = api_token_issue(user=world.users[Role.SOCIAL_HELPER], name="busy")
    _token, calm = api_token_issue(user=world.users[Role.SOCIAL_HELPER], name="calm")
    assert [_list(client, busy).status_code for _ in range(3)] == [200, 200, 200]
    refused = _list(client, busy)
    assert refused.status_code == 429
    assert refused.json()["type"].endswith(":rate-limited")
    assert refused["Retry-After"] == "45"
    assert _list(client, calm).status_code == 200
