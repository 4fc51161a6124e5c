"""The demo's places and accounts: the three municipalities, one account per role with the
published password and two-factor key, and their memberships."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
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


@functools.cache
def _demo_password_hash() -> str:
    """The published password hashed once per run: every demo account has it, and hashing it
    for each account anew took most of the demo's time."""
    return make_password(DEMO_PASSWORD)


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
        user.password = _demo_password_hash()
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


# The data-protection officer's role, once organisations.Membership offers it: the demo then
# gives each municipality a `<prefix>.dpo` account (see `_dpo_accounts`).
DPO_ROLE = "dpo"


def dpo_role_available() -> bool:
    """Whether Membership's role choices include the data-protection officer's role."""
    return DPO_ROLE in dict(Membership._meta.get_field("role").choices or ())


def _dpo_accounts(place: Place, municipality: Municipality, seed: int) -> list[User]:
    """The municipality's data-protection officer (`<prefix>.dpo`), a member of the whole
    municipality, created only where Membership's roles include "dpo"; nothing otherwise.
    Named by its own seeded generator, so the rest of the demo is the same with or without it."""
    if not dpo_role_available():
        return []
    fake = Faker(place.locale)
    fake.seed_instance(f"{seed}-{place.prefix}-dpo")
    user = _user(place, DPO_ROLE, fake, municipality)
    _membership(user, DPO_ROLE, municipality)
    return [user]


def demo_accounts() -> list[tuple[str, list[str]]]:
    """The demo's accounts by role: (role, the user name in each place), as the README lists
    them."""
    roles = [str(role) for role in ROLE_ACCOUNTS]
    if dpo_role_available():
        roles.append(DPO_ROLE)
    return [(role, [f"{place.prefix}.{role}" for place in PLACES]) for role in roles]
