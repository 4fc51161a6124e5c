"""The chain verified in ranges gives the answer of one walk: the same rows, the same last
hash, and the same first problem, wherever the ranges are cut."""

import pytest
from django.db import connection

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_erase
from earlyhelp.audit.tests.tampering import rows, without_trigger
from earlyhelp.audit.verify import verify_log, verify_ranges

pytestmark = pytest.mark.django_db


def _both(workers: int = 3):
    one = verify_log()
    many = verify_ranges({}, workers=workers, processes=False)
    return one, many


def _same(one, many) -> None:
    assert (many.checked, many.last_id, many.last_hash) == (one.checked, one.last_id, one.last_hash)
    assert (many.broken and (many.broken.event_id, many.broken.reason)) == (
        one.broken and (one.broken.event_id, one.broken.reason)
    )


@pytest.mark.parametrize("workers", [1, 2, 3, 5])
def test_an_intact_chain_verifies_alike_in_ranges(workers):
    written = rows(23)
    audit_erase(AuditEvent.objects.filter(pk__in=[written[4].pk, written[17].pk]), reason="t")
    one, many = _both(workers)
    assert one.broken is None and one.checked == 23
    _same(one, many)


@pytest.mark.parametrize("position", [0, 5, 6, 11, 22])
def test_an_altered_row_is_found_alike_wherever_the_ranges_are_cut(position):
    written = rows(23)
    without_trigger(
        ("UPDATE audit_auditevent SET purpose = 'rewritten' WHERE id = %s", [written[position].pk])
    )
    one, many = _both()
    assert one.broken.event_id == written[position].pk
    _same(one, many)


@pytest.mark.parametrize("position", [1, 6, 12, 22])
def test_a_removed_row_is_found_alike(position):
    written = rows(23)
    without_trigger(("DELETE FROM audit_auditevent WHERE id = %s", [written[position].pk]))
    one, many = _both()
    _same(one, many)
    if position < 22:
        assert one.broken.event_id == written[position + 1].pk


def test_an_unkeyed_row_after_keyed_ones_is_found_alike(settings):
    written = rows(23)
    without_trigger(("UPDATE audit_auditevent SET key_id = '' WHERE id = %s", [written[15].pk]))
    one, many = _both()
    assert one.broken.event_id == written[15].pk
    _same(one, many)


def test_more_workers_than_rows_and_an_empty_log_are_fine():
    one, many = _both(workers=8)
    assert one.checked == many.checked == 0 and many.broken is None
    rows(2)
    _same(*_both(workers=8))


def test_the_tests_in_memory_database_is_verified_in_this_process():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's test data is in a transaction no other process sees")
    rows(3)
    assert verify_log(workers=4).checked == 3
