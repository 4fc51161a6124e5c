"""The chain is keyed with a secret kept outside the database: recomputing it without the key
is found, and the key can be rotated."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from earlyhelp.audit.checks import check_audit_keys
from earlyhelp.audit.keys import AuditKey
from earlyhelp.audit.models import GENESIS_HASH, AuditEvent, chain_hash
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.tests.tampering import rewrite_and_rechain, rows
from earlyhelp.audit.verify import verify_chain
from earlyhelp.tests.commands import ROOT, manage

OLD = "2026a:" + "o" * 40
NEW = "2027a:" + "n" * 40


def _plain_sha256(row):
    return chain_hash(row, None)


@pytest.mark.django_db
def test_each_row_is_chained_with_the_current_key_and_names_it(settings):
    settings.EARLYHELP_AUDIT_KEYS = [NEW, OLD]
    row = rows(1)[0]
    assert row.key_id == "2027a"
    assert row.hash == chain_hash(row.__dict__, AuditKey("2027a", b"n" * 40))
    assert row.hash != chain_hash(row.__dict__, None)


@pytest.mark.django_db
def test_rechaining_with_the_models_compute_hash_but_another_key_is_found(settings):
    """The finding: change a row, recompute every later hash with `compute_hash`. Without the
    installation's key, the recomputed hashes are wrong from the changed row on."""
    written = rows()
    real_keys = settings.EARLYHELP_AUDIT_KEYS
    settings.EARLYHELP_AUDIT_KEYS = ["dev:" + "attacker-guess-" * 3]

    def compute_hash(row):
        return AuditEvent(**row).compute_hash()

    rewrite_and_rechain(written[1].pk, compute_hash, role="admin")
    settings.EARLYHELP_AUDIT_KEYS = real_keys
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (1, written[1].pk)
    assert "recomputed without the audit key" in broken.reason
    with pytest.raises(CommandError, match=f"Audit log broken at row {written[1].pk}: its content"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_rechaining_with_a_plain_sha256_is_found():
    written = rows()
    rewrite_and_rechain(written[2].pk, _plain_sha256, purpose="nothing to see")
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (2, written[2].pk)
    assert "altered" in broken.reason


@pytest.mark.django_db
def test_rechaining_as_rows_written_before_keying_is_found():
    """Dropping the key id and hashing as the log did before it was keyed does not pass
    either: unkeyed rows may not follow keyed ones."""
    written = rows()
    rewrite_and_rechain(written[2].pk, _plain_sha256, key_id="", purpose="nothing to see")
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (2, written[2].pk)
    assert "no audit key, though the rows before it have one" in broken.reason


@pytest.mark.django_db
def test_rechaining_the_whole_log_as_unkeyed_rows_is_found():
    written = rows()
    rewrite_and_rechain(written[0].pk, _plain_sha256, key_id="", role="admin")
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (0, written[0].pk)
    assert "EARLYHELP_AUDIT_LEGACY_UNTIL, now 0" in broken.reason


def _legacy_rows(n):
    """Rows as the log wrote them before it was keyed: a plain SHA-256, no key id."""
    prev, made = GENESIS_HASH, []
    for _ in range(n):
        event = AuditEvent(
            at=timezone.now(),
            action="login",
            purpose="password",
            prev_hash=prev,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        prev = event.hash
        made.append(event)
    return made


@pytest.mark.django_db
def test_rows_written_before_keying_are_verified_up_to_the_configured_boundary(settings):
    legacy = _legacy_rows(2)
    keyed = rows(2)
    assert keyed[0].prev_hash == legacy[-1].hash
    with pytest.raises(CommandError, match=f"row {legacy[0].pk}: it has no audit key"):
        call_command("audit_verify")
    settings.EARLYHELP_AUDIT_LEGACY_UNTIL = legacy[-1].pk
    assert verify_chain() == (4, None)
    # The first keyed row pins the unkeyed rows before it: they cannot be rechained.
    rewrite_and_rechain(legacy[0].pk, _plain_sha256, through=legacy[-1].pk, role="admin")
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (2, keyed[0].pk)
    assert "link to the previous row is broken" in broken.reason


@pytest.mark.django_db
def test_a_rotated_key_keeps_older_rows_verifiable(settings):
    settings.EARLYHELP_AUDIT_KEYS = [OLD]
    before = rows(2)
    settings.EARLYHELP_AUDIT_KEYS = [NEW, OLD]
    after = rows(2)
    assert [r.key_id for r in before + after] == ["2026a", "2026a", "2027a", "2027a"]
    assert verify_chain() == (4, None)
    settings.EARLYHELP_AUDIT_KEYS = [NEW]
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (0, before[0].pk)
    assert "'2026a', which is not in EARLYHELP_AUDIT_KEYS" in broken.reason


@pytest.mark.django_db
def test_no_row_is_written_without_a_key(settings):
    settings.EARLYHELP_AUDIT_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="EARLYHELP_AUDIT_KEYS is not set"):
        audit_record(actor=None, action="login_failed", purpose="failed sign-in")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "EARLYHELP_AUDIT_KEYS is not set"),
        (["no-colon-here" * 4], "entry 1 is not '<id>:<secret>'"),
        (["a:" + "x" * 40, "a:" + "y" * 40], "names the key id 'a' twice"),
        (["a:short"], "shorter than 32 characters"),
    ],
)
def test_the_system_check_names_what_is_wrong_with_the_keys(settings, keys, message):
    settings.EARLYHELP_AUDIT_KEYS = keys
    errors = check_audit_keys()
    assert [e.id for e in errors] == ["audit.E001"]
    assert message in errors[0].msg


def test_development_derives_a_key_without_set_up(settings):
    assert check_audit_keys() == []
    assert settings.EARLYHELP_AUDIT_KEYS[0].startswith("dev:")


def test_production_refuses_to_start_without_an_audit_key():
    result = manage(
        "check",
        env={
            "EARLYHELP_ENV": "production",
            "DJANGO_SECRET_KEY": "x" * 30 + "-not-a-real-secret-" + "y" * 30,
            "DJANGO_ALLOWED_HOSTS": "earlyhelp.example.org",
            "DATABASE_URL": "sqlite:///" + str(ROOT / "unused.sqlite3"),
        },
        unset=("EARLYHELP_AUDIT_KEYS", "DJANGO_DEBUG"),
    )
    assert result.returncode != 0
    assert "audit.E001" in result.stderr and "EARLYHELP_AUDIT_KEYS is not set" in result.stderr
