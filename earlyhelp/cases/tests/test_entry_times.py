"""A chronology entry's time, typed on the page, in the nights the clocks change."""

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def budapest_time(settings):
    settings.TIME_ZONE = "Europe/Budapest"


def _post(client, case, **data):
    return client.post(
        reverse("cases:entry_add", args=[case.pk]),
        {"kind": "contact", "title": "Phone call", "text": "Long text", **data},
    )


def test_a_time_skipped_by_summer_time_is_refused_and_the_text_kept(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = _post(client, case, happened_at="2026-03-29T02:30")
    assert response.status_code == 200
    page = response.content.decode()
    assert "02:30 does not exist on 29 March 2026" in page
    assert "Budapest" not in page.split("<main", 1)[-1]
    assert "Long text" in page
    assert not case.chronology.filter(kind="contact").exists()


def test_a_time_that_happens_twice_asks_and_then_keeps_the_choice(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    asked = _post(client, case, happened_at="2026-10-25T02:30").content.decode()
    assert "02:30 happens twice on the night of 25 October 2026" in asked
    assert "The second time (winter time)" in asked
    assert not case.chronology.filter(kind="contact").exists()

    response = _post(client, case, happened_at="2026-10-25T02:30", happened_at_fold="1")
    assert response.status_code == 302
    entry = case.chronology.get(kind="contact")
    assert entry.happened_at == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
