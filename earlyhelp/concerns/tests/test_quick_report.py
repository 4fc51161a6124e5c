"""The report form made short for a phone: the institution and the children's classes filled
in from what earlyhelp knows, the optional parts folded, and the numbers to call per country."""

from django.urls import reverse

from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f


def test_the_institution_of_the_reporters_own_class_is_preselected(world, signed_in):
    """An educator of class 1.a at A1 who also works with the whole of school A2, where more
    children are enrolled and a social helper receives concerns: their own class's school."""
    educator = world.users[Role.EDUCATOR]
    f.MembershipFactory(
        user=educator,
        role=Role.EDUCATOR,
        municipality=world.municipality_a,
        institution=world.school_a2,
    )
    f.MembershipFactory(
        role=Role.SOCIAL_HELPER,
        municipality=world.municipality_a,
        institution=world.school_a2,
        service=world.service_a,
    )
    for _ in range(3):
        f.EnrolmentFactory(
            child=f.ChildFactory(municipality=world.municipality_a), group=world.class_a2
        )
    form = signed_in(educator).get(reverse("concerns:report")).context["form"]
    assert form["institution"].value() == world.school_a1.pk


def test_picking_a_child_carries_their_class(world, signed_in):
    page = signed_in(world.users[Role.EDUCATOR]).get(reverse("concerns:report"))
    row = page.context["formset"].forms[0]
    assert list(row.fields["group"].choices)[1:] == [(world.class_a1.pk, "1.a")]
    body = page.content.decode()
    assert f'value="{world.inside.pk}" data-group="{world.class_a1.pk}"' in body
    assert 'name="children-1-group"' in body


def test_a_described_child_gets_the_class_picked_for_them(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    data = report_data(world, send="1")
    data["children-1-described_as"] = "Her brother Ádám"
    data["children-1-group"] = world.class_a1.pk
    assert client.post(reverse("concerns:report"), data).status_code == 302
    described = Concern.objects.get().children.get(child__isnull=True)
    assert described.described_as == "Her brother Ádám, 1.a"


def test_the_optional_parts_are_folded_until_they_hold_something(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    empty = client.get(reverse("concerns:report")).content.decode()
    assert '<details class="fold card">' in empty
    # Refused for a missing answer: what was typed in a folded part is shown open.
    data = report_data(world, send="1", categories=[], child_words="Nincs vacsora.")
    refused = client.post(reverse("concerns:report"), data).content.decode()
    assert '<details class="fold card" open>' in refused


def test_the_form_says_the_numbers_when_danger_is_ticked(world, signed_in):
    body = signed_in(world.users[Role.EDUCATOR]).get(reverse("concerns:report")).content.decode()
    assert 'id="danger-announce" aria-live="assertive"' in body
    assert "earlyhelp/concern-form.js" in body
