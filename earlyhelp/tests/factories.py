"""factory-boy factories for earlyhelp's models. Names are generated, never real."""

from datetime import date

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import User
from earlyhelp.organisations.models import (
    Approval,
    District,
    Group,
    Institution,
    Jurisdiction,
    Membership,
    Municipality,
    Service,
)
from earlyhelp.people.models import Adult, Child, Consent, Enrolment, Relationship


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = "HU"
    name = factory.LazyAttribute(
        lambda o: {"HU": "Hungary", "CZ": "Czechia", "DK": "Denmark"}[o.code]
    )
    default_language = factory.LazyAttribute(lambda o: {"HU": "hu", "CZ": "cs", "DK": "da"}[o.code])


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"Municipality {n}")
    code = factory.Sequence(lambda n: f"m-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = Service.Kind.FAMILY_CHILD_WELFARE


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"District {n}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    kind = Institution.Kind.SCHOOL


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"{n % 8 + 1}.a")
    school_year = "2026/2027"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "authenticator"
    confirmed = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    starts_on = date(2025, 9, 1)
    # Tests talk about memberships in force; a pending one is asked for explicitly.
    approval = Approval.APPROVED


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    municipality = factory.SubFactory(MunicipalityFactory)
    given_name = factory.Faker("first_name", locale="hu_HU")
    family_name = factory.Faker("last_name", locale="hu_HU")
    birth_date = date(2016, 5, 17)


class AdultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adult

    municipality = factory.SubFactory(MunicipalityFactory)
    given_name = factory.Faker("first_name", locale="hu_HU")
    family_name = factory.Faker("last_name", locale="hu_HU")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    child = factory.SubFactory(ChildFactory)
    group = factory.SubFactory(GroupFactory)
    starts_on = date(2025, 9, 1)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    child = factory.SubFactory(ChildFactory)
    adult = factory.SubFactory(AdultFactory)
    kind = Relationship.Kind.MOTHER
    parental_responsibility = True


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    child = factory.SubFactory(ChildFactory)
    purpose = Consent.Purpose.WELLBEING_CONVERSATION
    given_by_other = "the pupil"
    given_on = date(2026, 1, 10)


# --- Screening ------------------------------------------------------------------------------


def _days_from_today(days: int):
    from datetime import timedelta

    return factory.LazyFunction(lambda: date.today() + timedelta(days=days))


def _now():
    from django.utils import timezone

    return timezone.now()


def _shipped_instrument():
    from earlyhelp.screening.models import Instrument

    return Instrument.objects.get(municipality__isnull=True, code="wellbeing")


class RoundFactory(factory.django.DjangoModelFactory):
    """A round open today over `groups` (a list of classes of the institution)."""

    class Meta:
        model = "screening.Round"
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    municipality = factory.LazyAttribute(lambda o: o.institution.municipality)
    instrument = factory.LazyFunction(_shipped_instrument)
    title = factory.Sequence(lambda n: f"Term {n}")
    opens_on = _days_from_today(-7)
    closes_on = _days_from_today(14)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for group in extracted or []:
            self.round_groups.create(group=group)


# Every item green, except the last one red: a flagged child.
FLAGGING_ANSWERS = {
    "mood": 0, "belonging": 0, "care": 0, "attendance": 0, "behaviour": 0, "learning": 0,
    "safety": 2,
}  # fmt: skip


class RatingFactory(factory.django.DjangoModelFactory):
    """A rating of `child` in `round` (flagged by default); worry and flag follow the answers."""

    class Meta:
        model = "screening.Rating"

    round = factory.SubFactory(RoundFactory)
    municipality = factory.LazyAttribute(lambda o: o.round.municipality)
    child = factory.SubFactory(ChildFactory)
    group = factory.LazyAttribute(lambda o: o.round.round_groups.first().group)
    answers = factory.LazyFunction(lambda: dict(FLAGGING_ANSWERS))
    worry = factory.LazyAttribute(
        lambda o: sum(o.round.instrument.worry(v) for v in o.answers.values())
    )
    flagged = factory.LazyAttribute(lambda o: o.round.instrument.flags(o.answers))
    rated_by = factory.SubFactory(UserFactory)
    rated_at = factory.LazyFunction(_now)
