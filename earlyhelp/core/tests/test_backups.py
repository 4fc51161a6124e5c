"""Backups proven by restoring them: every stored file carries the checksum it was stored with,
the restore check finds a file that is missing or changed, and the drill restores a backup of
the database and the attachment store and checks it (docs/operations.md)."""

import hashlib
import sqlite3
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from earlyhelp.audit.models import AuditExport
from earlyhelp.core.backups import check_restored, drill, file_problems
from earlyhelp.core.files import HashedFileField, fill_checksums
from earlyhelp.organisations.models import Role
from earlyhelp.tests.commands import manage

pytestmark = pytest.mark.django_db


def _export(world, content: bytes = b"id;action\n1;view\n") -> AuditExport:
    return AuditExport.objects.create(
        requested_by=world.users[Role.MANAGER],
        requested_at=timezone.now(),
        file=ContentFile(content, name="audit-log.csv"),
    )


def test_every_file_field_keeps_its_checksum():
    plain = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("earlyhelp.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and not isinstance(field, HashedFileField)
    ]
    assert plain == [], "use core.files.HashedFileField, with a <name>_sha256 column after it"


def test_the_checksum_is_written_when_a_file_is_stored_and_emptied_when_it_is_removed(world):
    export = _export(world)
    export.refresh_from_db()
    assert export.file_sha256 == hashlib.sha256(b"id;action\n1;view\n").hexdigest()
    export.file.save("again.csv", ContentFile(b"other"))
    export.refresh_from_db()
    assert export.file_sha256 == hashlib.sha256(b"other").hexdigest()
    export.file.delete()
    export.refresh_from_db()
    assert export.file_sha256 == "" and not export.file


def test_the_restore_check_names_a_missing_a_changed_and_an_unrecorded_file(world):
    kept, changed, missing, unrecorded = (_export(world) for _ in range(4))
    assert file_problems() == (4, [])
    with default_storage.open(changed.file.name, "wb") as handle:
        handle.write(b"id;action\n1;edited\n")
    default_storage.delete(missing.file.name)
    AuditExport.objects.filter(pk=unrecorded.pk).update(file_sha256="")
    checked, problems = file_problems()
    assert checked == 4
    assert problems == [
        f"audit.auditexport {changed.pk}: {changed.file.name} differs from what was stored",
        f"audit.auditexport {missing.pk}: {missing.file.name} is missing from the attachment store",
        f"audit.auditexport {unrecorded.pk}: {unrecorded.file.name} has no recorded checksum",
    ]
    assert kept.file.name not in " ".join(problems)


def test_the_restore_check_runs_every_check_and_fails_on_a_damaged_store(world):
    export = _export(world)
    report = check_restored(no_anchors=True)
    assert [step.name for step in report.steps] == [
        "the schema matches the code",
        "the audit chain and its anchors hold",
        "every stored file is there, unchanged",
    ]
    assert report.ok, report.text("")
    assert report.counts["audit_auditexport"] == 1
    default_storage.delete(export.file.name)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("restore_check", "--no-anchors", stdout=out)
    assert "FAILED  every stored file is there, unchanged" in out.getvalue()
    assert "is missing from the attachment store" in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the drill on PostgreSQL runs in CI at scale S (make bench-smoke): a test there "
    "would have to commit, and the audit log refuses the TRUNCATE that undoes it",
)
def test_the_drill_restores_the_database_and_the_store_and_checks_them(world, settings, tmp_path):
    export = _export(world, b"a stored file")
    # The test's database, as the file an installation would run on.
    source = tmp_path / "earlyhelp.sqlite3"
    # Read through the test's own connection, which sees the rows the test has not committed
    # (SQLite's backup API would wait for the test's transaction to end).
    copy = sqlite3.connect(source)
    copy.executescript(";\n".join(connection.connection.iterdump()))
    copy.close()
    env = {
        "DATABASE_URL": f"sqlite:///{source}",
        "EARLYHELP_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EARLYHELP_AUDIT_ANCHOR_FILE": str(tmp_path / "no-anchors-yet.jsonl"),
    }
    done = manage("restore_drill", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = [line[8 : line.rindex(" (")] for line in done.stdout.splitlines() if line[:2] == "ok"]
    assert steps == [
        "back up the database",
        "back up the attachment store",
        "restore into a scratch database",
        "the schema matches the code",
        "the audit chain and its anchors hold",
        "every stored file is there, unchanged",
        "every table came back with every row",
    ]
    assert "stored files checked: 1, each as it was stored" in done.stdout
    assert "Result: the restore holds." in done.stdout
    # A store that lost a file fails the drill, and says which.
    default_storage.delete(export.file.name)
    done = manage("restore_drill", env=env)
    assert done.returncode == 1
    assert f"{export.file.name} is missing from the attachment store" in done.stdout


@isolate_apps("earlyhelp.core")
def test_a_file_field_without_its_checksum_column_after_it_is_refused():
    class Before(models.Model):  # noqa: DJ008
        file_sha256 = models.CharField(max_length=64, blank=True)
        file = HashedFileField(upload_to="x/")

    class Without(models.Model):  # noqa: DJ008
        file = HashedFileField(upload_to="x/")

    assert [error.id for error in Before._meta.get_field("file").check()] == ["earlyhelp.E102"]
    assert [error.id for error in Without._meta.get_field("file").check()] == ["earlyhelp.E101"]


def test_the_migration_gives_files_stored_earlier_their_checksum(world):
    export, lost = _export(world, b"kept"), _export(world, b"lost")
    AuditExport.objects.update(file_sha256="")
    default_storage.delete(lost.file.name)
    fill_checksums("audit", "auditexport", "file")(apps, SimpleNamespace(connection=connection))
    assert dict(AuditExport.objects.values_list("pk", "file_sha256")) == {
        export.pk: hashlib.sha256(b"kept").hexdigest(),
        lost.pk: "",
    }


def test_the_drill_never_restores_over_the_installations_own_database(settings):
    report = drill(scratch=str(settings.DATABASES["default"]["NAME"]))
    assert not report.ok
    assert report.steps[0].detail.endswith("is this installation's database")
