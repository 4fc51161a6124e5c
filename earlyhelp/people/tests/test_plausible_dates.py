"""Dates of birth, enrolments and consents are plausible on every path: the pages, the admin
(model validation) and the database itself, so no page can show an age of 176 or 2025. The age
range of a date of birth applies only where one is entered or changed: a young person who has
since grown older than it keeps an editable record."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.core.dates import add_years
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult, Child, Consent, Enrolment
from earlyhelp.people.tests.test_child_pages import _edit_data
from earlyhelp.tests.factories import (
    AdultFactory,
    ChildFactory,
    ConsentFactory,
    EnrolmentFactory,
)

pytestmark = pytest.mark.django_db

IMPOSSIBLE = [date(1, 1, 1), date(1850, 1, 1), date(9999, 12, 31)]


@pytest.mark.parametrize("born", IMPOSSIBLE)
def test_the_admin_refuses_an_impossible_date_of_birth(born):
    child = ChildFactory.build(municipality=ChildFactory().municipality, birth_date=born)
    with pytest.raises(ValidationError) as refused:
        child.full_clean()
    assert list(refused.value.message_dict) == ["birth_date"]


def test_the_admin_accepts_a_young_adult_leaving_care():
    today = timezone.localdate()
    born = today.replace(year=today.year - 26) - timedelta(days=10)  # 26 years old
    child = ChildFactory.build(municipality=ChildFactory().municipality, birth_date=born)
    child.full_clean()


def test_the_admin_accepts_a_stored_date_of_birth_past_the_age_range():
    child = ChildFactory(birth_date=add_years(timezone.localdate(), -27))
    child.needs = "Hearing aid"
    child.full_clean()


def aged_out(world) -> Child:
    """The child in the world, 27 years old today: born when the age range allowed it."""
    Child.objects.filter(pk=world.inside.pk).update(birth_date=add_years(timezone.localdate(), -27))
    world.inside.refresh_from_db()
    return world.inside


def test_the_record_of_a_young_person_past_the_age_range_can_still_be_edited(world, signed_in):
    child = aged_out(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:child_edit", args=[child.pk])
    response = client.post(url, _edit_data(child, given_name="Renamed", restricted="on"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.given_name, child.restricted) == ("Renamed", True)
    assert child.birth_date == add_years(timezone.localdate(), -27)


@pytest.mark.parametrize("years", [None, 27])
def test_changing_a_stored_date_of_birth_checks_the_age_range(world, signed_in, years):
    child = aged_out(world)
    typed = (
        date(1850, 1, 1)
        if years is None
        else add_years(timezone.localdate(), -years) - (timedelta(days=1))
    )
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:child_edit", args=[child.pk])
    response = client.post(url, _edit_data(child, birth_date=typed.isoformat()))
    assert response.status_code == 200
    assert "aged 0 to 26" in response.content.decode()
    assert Child.objects.get(pk=child.pk).birth_date == add_years(timezone.localdate(), -27)


@pytest.mark.parametrize("born", IMPOSSIBLE)
def test_the_admin_refuses_an_adults_impossible_date_of_birth(born):
    adult = AdultFactory.build(municipality=AdultFactory().municipality, birth_date=born)
    with pytest.raises(ValidationError) as refused:
        adult.full_clean()
    assert list(refused.value.message_dict) == ["birth_date"]


@pytest.mark.parametrize(("model", "born"), [(Child, date(1850, 1, 1)), (Adult, date(1, 1, 1))])
def test_the_database_refuses_an_impossible_date_of_birth_on_any_path(model, born):
    person = ChildFactory() if model is Child else AdultFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=person.pk).update(birth_date=born)


def test_an_enrolment_starting_in_1850_is_refused():
    enrolment = EnrolmentFactory.build(child=ChildFactory(), starts_on=date(1850, 9, 1))
    enrolment.group = EnrolmentFactory().group
    with pytest.raises(ValidationError) as refused:
        enrolment.full_clean()
    assert "starts_on" in refused.value.message_dict


def test_an_enrolment_ending_before_it_starts_is_refused_on_its_last_day():
    enrolment = EnrolmentFactory()
    enrolment.ends_on = enrolment.starts_on - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        enrolment.full_clean()
    assert list(refused.value.message_dict) == ["ends_on"]


@pytest.mark.parametrize("field", ["valid_until", "withdrawn_on"])
def test_a_consent_cannot_end_before_it_was_given(field):
    consent = ConsentFactory()
    setattr(consent, field, consent.given_on - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        consent.full_clean(exclude=["recorded_by"])
    assert list(refused.value.message_dict) == [field]
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(
            **{field: consent.given_on - timedelta(days=1)}
        )


def test_a_consent_given_in_1850_is_refused():
    consent = ConsentFactory.build(child=ConsentFactory().child, given_on=date(1850, 1, 1))
    with pytest.raises(ValidationError) as refused:
        consent.full_clean(exclude=["recorded_by"])
    assert "given_on" in refused.value.message_dict


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("0001-01-01", "aged 0 to 26"),
        ("1850-01-01", "aged 0 to 26"),
        ("9999-12-31", "cannot be in the future"),
    ],
)
def test_the_child_form_refuses_an_impossible_date_of_birth_and_keeps_the_rest(
    world, signed_in, typed, said
):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    count = Child.objects.count()
    response = client.post(
        reverse("people:child_create"),
        {"family_name": "Kiss", "given_name": "Ádám", "birth_date": typed, "sex": "male"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ádám" in page
    assert said in page
    assert Child.objects.count() == count


def test_the_enrolment_form_refuses_1850(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    count = Enrolment.objects.count()
    group = world.inside.enrolments.first().group
    response = client.post(
        reverse("people:enrolment_add", args=[world.inside.pk]),
        {"group": group.pk, "starts_on": "1850-09-01"},
    )
    assert response.status_code == 200
    assert "Enter a date from 1 January 2000" in response.content.decode()
    assert Enrolment.objects.count() == count


def test_the_childs_page_shows_the_age_of_a_plausible_date_of_birth(world, signed_in):
    today = timezone.localdate()
    Child.objects.filter(pk=world.inside.pk).update(birth_date=today.replace(year=today.year - 9))
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("people:child_detail", args=[world.inside.pk])).content.decode()
    assert "<dd>9</dd>" in page


def test_a_birth_not_yet_reached_shows_no_age(world, signed_in):
    # Only a record from before these checks could hold one; the page must still work.
    tomorrow = timezone.localdate() + timedelta(days=1)
    Child.objects.filter(pk=world.inside.pk).update(birth_date=tomorrow)
    world.inside.refresh_from_db()
    assert world.inside.age is None
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.get(reverse("people:child_detail", args=[world.inside.pk]))
    assert response.status_code == 200
    assert "<dd>-1</dd>" not in response.content.decode()
