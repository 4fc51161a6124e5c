"""Keyset pages: every row once, in the list's order, whatever the ties and NULLs; a bad
cursor starts again at the first page."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from earlyhelp.concerns import selectors
from earlyhelp.concerns.models import Concern
from earlyhelp.core.keyset import Key, encode_cursor, keyset_page
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _queue_rows(world, n=23):
    """Open concerns with ties on every key: danger or not, deadline or none, received or not."""
    base = timezone.now().replace(microsecond=0)
    concerns = [
        Concern(
            municipality=world.municipality_a,
            institution=world.school_a1,
            reporter=world.users[Role.EDUCATOR],
            status=Concern.Status.SUBMITTED,
            immediate_danger=i % 5 == 0,
            next_due_at=None if i % 3 == 0 else base + dt.timedelta(days=i % 4),
            received_at=None if i % 7 == 0 else base - dt.timedelta(hours=i % 2),
            what_happened=f"Concern {i}",
        )
        for i in range(n)
    ]
    return Concern.objects.bulk_create(concerns)


def _all_pages(read, page_size):
    seen, cursor, pages = [], "", 0
    while True:
        page = read(cursor=cursor, page_size=page_size)
        seen += [c.pk for c in page.rows]
        pages += 1
        if not page.next_cursor:
            return seen, pages
        cursor = page.next_cursor


@pytest.mark.parametrize("page_size", [1, 3, 25])
def test_a_union_of_overlapping_parts_pages_through_every_row_once_in_order(world, page_size):
    # A list that is the UNION of several parts (the child list's paths of the policy): the
    # rows in two parts, and a part that runs out first, come once and in order.
    rows = _queue_rows(world, n=17)
    keys = [Key("immediate_danger", descending=True), Key("pk")]
    every = Concern.objects.filter(pk__in=[c.pk for c in rows])
    parts = [
        every.filter(pk__in=[c.pk for c in rows[:12]]),
        every.filter(pk__in=[c.pk for c in rows[8:]]),
    ]

    def read(cursor, page_size):
        return keyset_page(list(parts), keys, cursor, page_size)

    seen, pages = _all_pages(read, page_size)
    assert seen == list(every.order_by("-immediate_danger", "pk").values_list("pk", flat=True))
    assert pages == -(-17 // page_size)


@pytest.mark.parametrize("page_size", [1, 4, 25])
def test_the_queue_pages_through_every_row_once_in_order(world, page_size):
    _queue_rows(world)
    helper = world.users[Role.SOCIAL_HELPER]
    whole = selectors.triage_queue(user=helper, page_size=1000).rows
    assert len(whole) == 23
    # The order itself: danger first, then the nearest deadline, none last.
    keys = [(not c.immediate_danger, c.next_due_at is None, c.next_due_at) for c in whole]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1], k[2] or timezone.now()))
    seen, pages = _all_pages(
        lambda **kw: selectors.triage_queue(user=helper, **kw), page_size=page_size
    )
    assert seen == [c.pk for c in whole]
    assert pages == -(-23 // page_size)  # no empty page at the end


def test_my_concerns_and_the_institution_list_page_newest_first(world):
    _queue_rows(world, n=7)
    reporter = world.users[Role.EDUCATOR]
    lead = world.users[Role.INSTITUTION_LEAD]
    mine, _ = _all_pages(lambda **kw: selectors.my_concerns(user=reporter, **kw), 3)
    newest = Concern.objects.exclude(status=Concern.Status.DRAFT).order_by(
        F("received_at").desc(nulls_last=True), "-pk"
    )
    assert mine == list(newest.values_list("pk", flat=True))
    led, _ = _all_pages(lambda **kw: selectors.institution_concerns(user=lead, **kw), 2)
    assert sorted(led) == sorted(Concern.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "cursor",
    ["garbage", encode_cursor(["x"]), encode_cursor([True, "not a date", None, 1]), "%%%"],
)
def test_a_cursor_this_list_did_not_write_starts_at_the_first_page(world, cursor):
    _queue_rows(world, n=3)
    helper = world.users[Role.SOCIAL_HELPER]
    first = selectors.triage_queue(user=helper)
    assert selectors.triage_queue(user=helper, cursor=cursor).rows == first.rows


def test_a_cursor_never_widens_the_list(world):
    """The cursor moves the start of the page; the policy still narrows the rows."""
    _queue_rows(world, n=3)
    outsider = world.outsiders[Role.SOCIAL_HELPER]
    cursor = encode_cursor([True, None, None, 0])
    assert selectors.triage_queue(user=outsider, cursor=cursor).rows == []


def test_keyset_page_reads_one_row_more_than_it_shows(world, django_assert_num_queries):
    _queue_rows(world, n=3)
    with django_assert_num_queries(1):
        page = keyset_page(Concern.objects.all(), selectors.MINE_ORDER, "", 2)
    assert len(page.rows) == 2 and page.next_cursor


def test_the_queue_links_to_its_next_page_keeping_the_filter(world, signed_in):
    _queue_rows(world, n=30)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.get(reverse("concerns:queue"), {"status": "submitted"})
    page = response.context["page"]
    assert len(page.rows) == 25 and page.next_cursor
    content = response.content.decode()
    assert "status=submitted" in content and f"after={page.next_cursor}" in content
    second = client.get(
        reverse("concerns:queue"), {"status": "submitted", "after": page.next_cursor}
    )
    rows = second.context["page"].rows
    assert len(rows) == 5 and not {c.pk for c in rows} & {c.pk for c in page.rows}
    assert "First page" in second.content.decode()
