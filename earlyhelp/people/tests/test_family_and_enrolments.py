"""Adults in a child's life, their relationships, and enrolments in groups."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult, Relationship

pytestmark = pytest.mark.django_db


def test_adding_a_father_with_a_contact_restriction(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:adult_add", args=[world.inside.pk]),
        {
            "family_name": "Szőke",
            "given_name": "Gábor",
            "kind": Adult.Kind.PARENT,
            "relationship_kind": Relationship.Kind.FATHER,
            "relationship_contact_restriction": "on",
        },
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(adult__given_name="Gábor")
    assert relationship.child == world.inside
    assert relationship.contact_restriction and not relationship.parental_responsibility
    assert AuditEvent.objects.filter(
        action="create",
        subject=f"people.child:{world.inside.pk}",
        object_type="people.relationship",
    ).exists()


def test_an_adult_form_with_errors_keeps_the_input(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:adult_add", args=[world.inside.pk]),
        {"family_name": "Szőke", "given_name": "", "phone": "+36 30 123 4567", "email": "nope"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "+36 30 123 4567" in page
    assert "valid email" in page.lower()
    assert not Adult.objects.filter(family_name="Szőke", phone__startswith="+36").exists()


def test_editing_an_adult_is_versioned_and_audited(world, signed_in):
    adult = world.parent_inside
    client = signed_in(world.users[Role.CASE_WORKER])
    data = {
        "family_name": adult.family_name,
        "given_name": adult.given_name,
        "kind": adult.kind,
        "phone": "+36 1 555 0101",
        "version": adult.version,
    }
    assert client.post(reverse("people:adult_edit", args=[adult.pk]), data).status_code == 302
    stale = client.post(reverse("people:adult_edit", args=[adult.pk]), {**data, "phone": "x"})
    assert "Someone else changed this record" in stale.content.decode()
    adult.refresh_from_db()
    assert adult.phone == "+36 1 555 0101"
    event = AuditEvent.objects.get(action="change", object_type="people.adult")
    assert event.changes == {"phone": ["", "+36 1 555 0101"]}
    assert event.subject == f"people.adult:{adult.pk}"


def test_changing_who_holds_parental_responsibility(world, signed_in):
    relationship = world.inside.relationships.get()
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("people:relationship_edit", args=[world.inside.pk, relationship.pk]),
        {"kind": relationship.kind, "contact_restriction": "on", "version": relationship.version},
    )
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.contact_restriction and not relationship.parental_responsibility


def test_enrolling_and_ending_an_enrolment(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:enrolment_add", args=[world.inside.pk]),
        {"group": world.class_a2.pk, "starts_on": "2026-09-01"},
    )
    assert response.status_code == 302
    enrolment = world.inside.enrolments.get(group=world.class_a2)
    client.post(
        reverse("people:enrolment_end", args=[world.inside.pk, enrolment.pk]),
        {"ends_on": "2026-08-01", "version": enrolment.version},
    )
    enrolment.refresh_from_db()
    assert enrolment.ends_on is None  # refused: before it started
    client.post(
        reverse("people:enrolment_end", args=[world.inside.pk, enrolment.pk]),
        {"ends_on": "2026-10-31", "version": enrolment.version},
    )
    enrolment.refresh_from_db()
    assert enrolment.ends_on == date(2026, 10, 31)


def test_enrolling_twice_in_the_same_group_is_refused(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:enrolment_add", args=[world.inside.pk]),
        {"group": world.class_a1.pk, "starts_on": "2026-10-01"},
    )
    assert response.status_code == 200
    assert "already enrolled" in response.content.decode()


def test_groups_of_another_municipality_cannot_be_chosen(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:enrolment_add", args=[world.inside.pk]),
        {"group": world.class_b1.pk, "starts_on": "2026-10-01"},
    )
    assert response.status_code == 200
    assert not world.inside.enrolments.filter(group=world.class_b1).exists()


def test_a_protected_address_is_not_in_the_edit_form_of_someone_off_the_team(world, signed_in):
    adult = world.parent_inside
    adult.address, adult.address_protected = "Titkos utca 1.", True
    adult.save()
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("people:adult_edit", args=[adult.pk])).content.decode()
    assert "Titkos utca" not in page
    client.post(
        reverse("people:adult_edit", args=[adult.pk]),
        {"family_name": "Szőke", "given_name": "Anna", "kind": "parent", "version": 1},
    )
    adult.refresh_from_db()
    assert adult.address == "Titkos utca 1." and adult.address_protected


def test_the_home_district_is_not_in_the_edit_form_of_someone_off_the_team(world, signed_in):
    from earlyhelp.people import services
    from earlyhelp.tests import factories

    adult = world.parent_inside
    district = factories.DistrictFactory(municipality=adult.municipality, name="Rejtettváros")
    adult.address, adult.address_protected, adult.home_district = "Titkos utca 1.", True, district
    adult.save()
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    page = client.get(reverse("people:adult_edit", args=[adult.pk])).content.decode()
    assert "Rejtettváros" not in page and 'name="home_district"' not in page
    client.post(
        reverse("people:adult_edit", args=[adult.pk]),
        {"family_name": "Szőke", "given_name": "Anna", "kind": "parent", "version": 1},
    )
    adult.refresh_from_db()
    assert adult.home_district == district
    # The service keeps the stored values whatever it is given by such a user.
    services.adult_update(
        user=helper, adult=adult, version=adult.version,
        data={"given_name": "Anna", "home_district": None, "address": "",
              "address_protected": False},
    )  # fmt: skip
    adult.refresh_from_db()
    assert adult.home_district == district and adult.address == "Titkos utca 1."
    assert adult.address_protected


def test_a_renamed_child_is_found_by_the_new_name(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    child = world.inside
    client.post(
        reverse("people:child_edit", args=[child.pk]),
        {
            "family_name": "Ördög",
            "given_name": child.given_name,
            "birth_date": child.birth_date.isoformat(),
            "sex": child.sex,
            "version": child.version,
        },
    )
    page = client.get(reverse("people:child_list"), {"q": "Ordog"}).context["page"]
    assert [c.pk for c in page.rows] == [child.pk]
