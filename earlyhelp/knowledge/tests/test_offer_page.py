"""What an institution offers: its running groups and events with their method, the workers
(on the staff's page only) and how to ask; the parents' printed sheet names nobody."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.knowledge.models import Method, Partner
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(world):
    method = Method.objects.create(municipality=world.municipality_a, name="Incredible Years")
    club = b.activity(world, None)
    club.title, club.method, club.capacity = "Parent club, Tuesdays", method, 12
    club.save()
    one_to_one = b.activity(world, None, code="individual_session")
    one_to_one.title = "Sessions with Bence"
    one_to_one.save()
    b.participant(club, child=world.inside)
    Partner.objects.create(
        municipality=world.municipality_a, name="Family centre", kind="ngo", phone="+36 1 234"
    )
    return reverse("knowledge:offer", args=[world.school_a1.pk])


def test_staff_see_the_help_the_workers_and_how_to_ask(world, signed_in, offer):
    helper = world.users[Role.SOCIAL_HELPER]
    html = signed_in(world.users[Role.EDUCATOR]).get(offer).content.decode()
    assert "Parent club, Tuesdays" in html
    assert "Incredible Years" in html
    assert "Family centre" in html
    assert helper.get_full_name() in html
    # Individual help is not on offer: its title may name a child.
    assert "Sessions with Bence" not in html


def test_the_parents_sheet_names_no_worker_and_no_child(world, signed_in, offer):
    response = signed_in(world.users[Role.EDUCATOR]).get(offer + "?print=1")
    html = response.content.decode()
    assert "Parent club, Tuesdays" in html and "Family centre" in html
    assert world.users[Role.SOCIAL_HELPER].get_full_name() not in html
    assert world.inside.given_name not in html
    assert 'class="mainnav"' not in html


def test_an_ended_club_is_no_longer_offered(world, signed_in, offer):
    club = b.activity(world, None)
    club.title, club.status, club.ends_on = "Old club", "ended", date(2020, 6, 1)
    club.save()
    assert "Old club" not in signed_in(world.users[Role.MANAGER]).get(offer).content.decode()
