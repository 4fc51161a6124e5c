"""The chain's head is anchored outside the database, so removing the newest rows is found."""

import json
import logging
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.tests.tampering import delete_rows, rewrite_and_rechain, rows
from earlyhelp.audit.verify import verify_chain


def _anchor():
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    return out.getvalue()


def _verify(*args):
    out = StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_anchor_is_a_signed_line_with_the_head(anchor_file, caplog):
    written = rows(3)
    with caplog.at_level(logging.INFO, logger="earlyhelp.audit.anchor"):
        assert f"Anchored row {written[-1].pk}" in _anchor()
    line = json.loads(anchor_file.read_text().splitlines()[-1])
    assert line["row"] == written[-1].pk and line["hash"] == written[-1].hash
    assert line["key"] == "dev" and len(line["mac"]) == 64 and line["at"].endswith("+00:00")
    # The same line goes to the logger that operators route to syslog.
    assert caplog.records[-1].name == "earlyhelp.audit.anchor"
    assert json.loads(caplog.records[-1].getMessage()) == line
    assert "1 anchored rows found" in _verify()


@pytest.mark.django_db
def test_removing_the_newest_rows_is_found_by_the_anchor():
    written = rows(4)
    _anchor()
    delete_rows(written[2].pk, written[3].pk)
    assert verify_chain() == (2, None)  # the shorter chain alone looks intact
    with pytest.raises(CommandError) as found:
        _verify()
    message = str(found.value)
    assert message.startswith(f"Audit log broken at row {written[3].pk}: it was anchored at")
    assert f"the log ends at row {written[1].pk}: the newest rows were removed" in message


@pytest.mark.django_db
def test_emptying_the_table_is_found_by_the_anchors():
    written = rows(2)
    _anchor()
    rows(1)
    _anchor()
    delete_rows(*[pk for pk in AuditEvent.objects.values_list("id", flat=True)])
    with pytest.raises(CommandError) as found:
        _verify()
    assert f"row {written[1].pk}: it was anchored at" in str(found.value)
    assert "the log is empty: the table was emptied; 1 later anchored row(s)" in str(found.value)


@pytest.mark.django_db
def test_rows_written_after_the_removal_do_not_hide_it():
    written = rows(3)
    _anchor()
    delete_rows(written[2].pk)
    rows(2)
    with pytest.raises(CommandError, match=f"row {written[2].pk}: it was anchored at"):
        _verify()


@pytest.mark.django_db
def test_a_backup_copy_of_the_anchors_is_checked_with_the_anchors_option(anchor_file, tmp_path):
    written = rows(3)
    _anchor()
    kept = tmp_path / "kept-by-the-backup.jsonl"
    shutil.copy(anchor_file, kept)
    anchor_file.unlink()  # whoever removed the rows removed the anchor file too
    delete_rows(written[2].pk)
    with pytest.raises(CommandError, match=f"row {written[2].pk}: it was anchored at .*kept-by"):
        _verify("--anchors", str(kept))


@pytest.mark.django_db
def test_a_missing_anchor_file_is_not_an_intact_log(anchor_file):
    """The finding: deleting or renaming the anchor file, with the newest rows, passed as intact."""
    written = rows(3)
    _anchor()
    anchor_file.rename(anchor_file.with_name("elsewhere.jsonl"))
    delete_rows(written[2].pk)
    with pytest.raises(CommandError) as found:
        _verify()
    assert str(found.value).startswith(f"No anchor file at {anchor_file}")
    assert "a new installation runs audit_anchor first" in str(found.value)
    # Only when asked for explicitly is the chain verified alone.
    assert "Audit log intact: 2 rows verified" in _verify("--no-anchors")


@pytest.mark.django_db
def test_a_log_with_nothing_anchored_yet_needs_no_anchor_file(anchor_file):
    assert "Audit log intact: 0 rows verified" in _verify()
    assert not anchor_file.exists()


@pytest.mark.django_db
def test_a_changed_anchor_line_is_found(anchor_file):
    rows(2)
    _anchor()
    line = json.loads(anchor_file.read_text())
    line["row"] -= 1  # point the anchor at an earlier row, hiding the newest one
    anchor_file.write_text(json.dumps(line) + "\n")
    with pytest.raises(CommandError, match="line 1 does not carry a valid signature"):
        _verify()


@pytest.mark.django_db
def test_anchors_still_hold_the_rows_before_them_if_the_key_leaked():
    """Whoever has the key can rechain the log; the anchors taken before still show it."""
    written = rows(4)
    _anchor()

    def compute_hash(row):
        return AuditEvent(**row).compute_hash()

    rewrite_and_rechain(written[1].pk, compute_hash, role="admin")
    assert verify_chain() == (4, None)
    with pytest.raises(CommandError) as found:
        _verify()
    assert str(found.value).startswith(
        f"Audit log broken at row {written[3].pk}: its hash is not the one anchored at"
    )
    assert "the row was replaced" in str(found.value)


@pytest.mark.django_db
def test_an_empty_log_has_nothing_to_anchor(anchor_file):
    assert "nothing to anchor" in _anchor()
    assert not anchor_file.exists()


@pytest.mark.django_db
def test_a_missing_anchor_file_given_on_the_command_line_is_an_error(tmp_path):
    rows(1)
    with pytest.raises(CommandError, match="cannot be read"):
        _verify("--anchors", str(tmp_path / "nowhere.jsonl"))


@pytest.mark.django_db
def test_anchor_lines_as_syslog_kept_them_are_checked(anchor_file, tmp_path):
    written = rows(2)
    _anchor()
    received = tmp_path / "from-syslog.txt"
    received.write_text(
        "".join(
            f"Dec  6 04:05:00 host earlyhelp-audit: {line}\n"
            for line in anchor_file.read_text().splitlines()
        )
    )
    delete_rows(written[1].pk)
    with pytest.raises(CommandError, match=f"row {written[1].pk}: it was anchored at .*syslog"):
        _verify("--anchors", str(received))


@pytest.mark.django_db
def test_an_anchor_file_that_cannot_be_written_is_an_error(tmp_path):
    rows(1)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    with pytest.raises(CommandError, match="Cannot write the anchor file"):
        call_command("audit_anchor", "--file", str(blocked / "anchors.jsonl"), stdout=StringIO())
