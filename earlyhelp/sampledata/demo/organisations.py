"""The demo's places and accounts: the three municipalities, one account per role with the
published password and two-factor key, and their memberships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from earlyhelp.accounts.models import User
from earlyhelp.organisations.models import (
    Approval,
    Membership,
    Municipality,
    Role,
)

DEMO_PASSWORD = "earlyhelp-demo-2026"  # noqa: S105 - published demo password


# One published key for every demo account, so that the README can tell how to sign in.
# 40 hex characters = 20 bytes, the RFC 6238 default.
DEMO_TOTP_KEY = "6561726c7968656c702d64656d6f2d746f747021"


ROLE_ACCOUNTS = [
    Role.EDUCATOR,
    Role.INSTITUTION_LEAD,
    Role.SOCIAL_HELPER,
    Role.CASE_WORKER,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.ANALYST,
    Role.ADMIN,
]


@dataclass(frozen=True)
class Place:
    prefix: str
    country: str
    country_name: str
    language: str
    locale: str
    emergency: str
    municipality: str
    service: str
    districts: tuple[str, ...]
    schools: tuple[str, ...]
    kindergartens: tuple[str, ...]
    daycare: str
    health_visiting: str
    class_names: tuple[str, ...]
    kindergarten_groups: tuple[str, ...]


PLACES = [
    Place(
        prefix="hu",
        country="HU",
        country_name="Magyarország",
        language="hu",
        locale="hu_HU",
        emergency="112",
        municipality="Székesfehérvár",
        service="Család- és Gyermekjóléti Központ",
        districts=("Palotaváros", "Felsőváros"),
        schools=("Vörösmarty Mihály Általános Iskola", "Tóth Árpád Általános Iskola"),
        kindergartens=("Szivárvány Óvoda",),
        daycare="Napsugár Bölcsőde",
        health_visiting="Védőnői Szolgálat",
        class_names=("1.a", "2.b", "4.a", "6.c"),
        kindergarten_groups=("Katica csoport", "Méhecske csoport"),
    ),
    Place(
        prefix="cz",
        country="CZ",
        country_name="Česká republika",
        language="cs",
        locale="cs_CZ",
        emergency="112",
        municipality="Olomouc",
        service="Centrum pro rodinu a děti",
        districts=("Nové Sady", "Hodolany"),
        schools=("ZŠ Komenského", "ZŠ Řezníčkova"),
        kindergartens=("MŠ Sluníčko",),
        daycare="Dětská skupina Beruška",
        health_visiting="Dětská poradna",
        class_names=("1.A", "2.B", "5.A", "7.C"),
        kindergarten_groups=("Třída Berušky", "Třída Sovičky"),
    ),
    Place(
        prefix="dk",
        country="DK",
        country_name="Danmark",
        language="da",
        locale="da_DK",
        emergency="112",
        municipality="Aarhus",
        service="Socialforvaltningen, Børn og Unge",
        districts=("Distrikt Syd", "Distrikt Vest"),
        schools=("Skjoldhøjskolen", "Søndervangskolen"),
        kindergartens=("Børnehuset Ærtebjerg",),
        daycare="Vuggestuen Sølvpilen",
        health_visiting="Sundhedsplejen Syd",
        class_names=("0.A", "2.B", "4.A", "7.C"),
        kindergarten_groups=("Mælkebøtterne", "Solsikkerne"),
    ),
]


def _user(place: Place, role: str, fake: Faker, municipality: Municipality) -> User:
    username = f"{place.prefix}.{role}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "municipality": municipality,
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "email": f"{username}@example.org",
            "preferred_language": place.language,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    TOTPDevice.objects.get_or_create(
        user=user, name="demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return user


def _membership(user: User, role: str, municipality: Municipality, **units) -> None:
    Membership.objects.get_or_create(
        user=user,
        role=role,
        municipality=municipality,
        # Demo accounts work at once: their memberships are approved, as if a second person
        # had approved them.
        defaults={"starts_on": date(2025, 9, 1), "approval": Approval.APPROVED},
        **units,
    )
