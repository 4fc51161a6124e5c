"""No concern without a receiver: an institution where nobody triages is never offered, a
report naming it is refused with whom to contact instead, the administration warns about it,
and a daily check tells the municipality's supervisors and administrators."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from earlyhelp.concerns import services
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def also_at_a2(world):
    """The educator of 1.a also works at school A2, where no social helper is assigned."""
    educator = world.users[Role.EDUCATOR]
    f.MembershipFactory(
        user=educator,
        role=Role.EDUCATOR,
        municipality=world.municipality_a,
        institution=world.school_a2,
    )
    world.users[Role.SUPERVISOR].first_name, world.users[Role.SUPERVISOR].last_name = (
        "Zsófia",
        "Kerekes",
    )
    world.users[Role.SUPERVISOR].save()
    return educator


def test_an_institution_nobody_triages_is_not_offered_and_the_other_is_preselected(
    world, signed_in, also_at_a2
):
    page = signed_in(also_at_a2).get(reverse("concerns:report"))
    field = page.context["form"]["institution"]
    offered = [value for value, _label in field.field.widget.choices if value]
    assert offered == [world.school_a1.pk]
    assert field.value() == world.school_a1.pk
    assert "Nobody receives concerns for A2" in page.content.decode()


def test_a_report_naming_it_is_refused_with_whom_to_contact(world, signed_in, also_at_a2):
    client = signed_in(also_at_a2)
    for data in (report_data(world, send="1"), report_data(world)):
        data["institution"] = world.school_a2.pk
        response = client.post(reverse("concerns:report"), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Nobody receives concerns for A2" in page
        assert "Zsófia Kerekes" in page and "112" in page
        assert "Bence came without a coat" in page  # what was typed is kept
    assert not Concern.objects.exists()


def test_every_caller_of_the_service_is_refused(world, also_at_a2):
    """The API reports through `concern_report`."""
    with pytest.raises(ValidationError, match="Nobody receives concerns"):
        services.concern_report(
            user=also_at_a2,
            institution=world.school_a2,
            data={"what_happened": "Hungry.", "categories": ["neglect"], "parents_know": "yes"},
            children=[{"child": world.inside, "role": "harmed"}],
        )
    assert not Concern.objects.exists()


def test_who_receives_comes_from_the_policy_of_triagers(world):
    from earlyhelp.concerns.access import receiving_institutions, triagers_for

    ids = [world.school_a1.pk, world.school_a2.pk]
    assert receiving_institutions(ids) == {world.school_a1.pk}
    # The social helper's account closed: their supervisor still receives A1's concerns.
    helper = world.users[Role.SOCIAL_HELPER]
    helper.is_active = False
    helper.save()
    assert receiving_institutions(ids) == {world.school_a1.pk}
    assert list(triagers_for(world.school_a1.pk)) == [world.users[Role.SUPERVISOR]]


def test_the_form_preselects_the_institution_last_reported_to(world, signed_in, also_at_a2):
    f.MembershipFactory(
        role=Role.SOCIAL_HELPER,
        municipality=world.municipality_a,
        institution=world.school_a2,
        service=world.service_a,
    )
    client = signed_in(also_at_a2)
    # Where the children the educator may name are enrolled: their class in A1.
    assert client.get(reverse("concerns:report")).context["form"]["institution"].value() == (
        world.school_a1.pk
    )
    data = report_data(world, send="1", institution=world.school_a2.pk)
    data["children-0-child"], data["children-0-described_as"] = "", "Her brother, 3.b"
    assert client.post(reverse("concerns:report"), data).status_code == 302
    assert client.get(reverse("concerns:report")).context["form"]["institution"].value() == (
        world.school_a2.pk
    )


def test_the_administration_warns_about_an_institution_nobody_triages(world, signed_in, also_at_a2):
    client = signed_in(world.users[Role.ADMIN])
    listing = client.get(reverse("admin:organisations_institution_changelist"))
    warnings = [str(m) for m in listing.context["messages"]]
    assert any("A2 Általános Iskola" in w and "A1" not in w for w in warnings), warnings
    page = client.get(reverse("admin:organisations_institution_change", args=[world.school_a1.pk]))
    assert not [str(m) for m in page.context["messages"]]


def test_the_daily_check_tells_supervisors_and_administrators_once_a_day(world, also_at_a2):
    call_command("concern_receivers_check", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("concern_receivers_check", stdout=open("/dev/null", "w"))  # noqa: SIM115
    told = Notification.objects.filter(kind=Notification.Kind.NO_RECEIVER)
    assert set(told.values_list("recipient", flat=True)) == {
        world.users[Role.SUPERVISOR].pk,
        world.users[Role.ADMIN].pk,
    }
    assert told.count() == 2


def test_a_list_of_repeated_categories_is_stored_once(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    # As many as a web form may carry (Django refuses more than 1,000 fields).
    data = report_data(world, send="1", categories=["neglect"] * 900 + ["health"])
    assert client.post(reverse("concerns:report"), data).status_code == 302
    assert Concern.objects.get().categories == ["neglect", "health"]


def test_every_caller_stores_known_categories_once(world):
    """The API's 5,000 repeats, and codes that are not categories."""
    concern = services.concern_report(
        user=world.users[Role.EDUCATOR],
        institution=world.school_a1,
        data={
            "what_happened": "Hungry.",
            "categories": ["neglect"] * 5000,
            "parents_know": "yes",
        },
        children=[{"child": world.inside, "role": "harmed"}],
    )
    assert concern.categories == ["neglect"]
    with pytest.raises(ValidationError):
        services.categories_clean(["neglect", "x" * 5000])
