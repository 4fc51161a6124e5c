"""The leaks a new user found, each closed in the policy and kept closed: a restricted adult
named in the contact form, case titles shown where the policy hides the case, and a caseload
that counted a restricted case."""

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities.tests.access_expectations import make_activity
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.cases.selectors import caseload
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _restricted_parent(world):
    parent = f.AdultFactory(
        municipality=world.municipality_a, given_name="Zsófia", family_name="Titkosné",
        restricted=True,
    )  # fmt: skip
    f.RelationshipFactory(child=world.inside, adult=parent)
    return parent


def _hidden_case(world):
    """A case of the service that only its team sees: restricted, the case worker alone."""
    case = Case.objects.create(
        municipality=world.municipality_a, service=world.service_a,
        title="Quietly handled family", reason="Kept to its team.", restricted=True,
        lead_worker=world.users[Role.CASE_WORKER], opened_at=timezone.now(),
        opened_by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    CaseMember.objects.create(
        case=case, user=world.users[Role.CASE_WORKER], role=CaseMember.Role.LEAD
    )
    return case


def test_the_contact_form_names_a_restricted_adult_to_the_childs_team_only(world, signed_in):
    _restricted_parent(world)
    url = f"{reverse('contacts:new')}?child={world.inside.pk}"
    supervisor_page = signed_in(world.users[Role.SUPERVISOR]).get(url).content.decode()
    assert "Titkosné" not in supervisor_page
    assert world.parent_inside.family_name in supervisor_page
    team_page = signed_in(world.users[Role.CASE_WORKER]).get(url).content.decode()
    assert "Titkosné" in team_page


def test_an_arrangement_keeps_a_restricted_visitor_unnamed_when_changed(world, signed_in):
    parent = _restricted_parent(world)
    arrangement = make_arrangement(world, True)
    arrangement.visitor = parent
    arrangement.save(update_fields=["visitor"])
    page = signed_in(world.users[Role.SUPERVISOR]).get(
        reverse("contacts:edit", args=[arrangement.pk])
    )
    assert page.status_code == 200
    assert "Titkosné" not in page.content.decode()


def test_an_activity_shows_a_linked_case_title_only_to_those_who_may_open_the_case(
    world, signed_in
):
    case = _hidden_case(world)
    activity = make_activity(world, True)
    activity.case = case
    activity.save(update_fields=["case"])
    edit = reverse("activities:edit", args=[activity.pk])
    helper_page = signed_in(world.users[Role.SOCIAL_HELPER]).get(edit).content.decode()
    assert "Quietly handled family" not in helper_page
    assert "A record you may not open" in helper_page


def test_a_supervisors_caseload_counts_a_restricted_case_only_for_its_team(world):
    _hidden_case(world)
    rows = caseload(user=world.users[Role.SUPERVISOR])
    assert sum(row["cases"] for row in rows) == 0
