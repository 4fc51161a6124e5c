"""The people every test talks about, one per role inside municipality A, plus what lies
outside their scope. Tests read like stories: "Erika the educator cannot see Bence's consents".

Municipality A (HU): school A1 with class 1.a (child `inside`, restricted child `secret`) and
school A2 with class 3.b (child `elsewhere`). Municipality B (CZ): school B1 (child `abroad`).
The service of A employs the social helper (assigned to A1), the case worker (on `inside`'s
team and `secret`'s team) and their supervisor.
"""

from dataclasses import dataclass

from django_otp import DEVICE_ID_SESSION_KEY

from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

ROLES = [role.value for role in Role]


@dataclass
class World:
    municipality_a: object
    municipality_b: object
    service_a: object
    school_a1: object
    school_a2: object
    school_b1: object
    class_a1: object
    class_a2: object
    class_b1: object
    inside: object
    secret: object
    elsewhere: object
    abroad: object
    parent_inside: object
    parent_abroad: object
    consent_inside: object
    consent_abroad: object
    users: dict  # role -> user in municipality A
    outsiders: dict  # role -> the same role in municipality B


def build_world() -> World:
    hu = f.JurisdictionFactory(code="HU")
    cz = f.JurisdictionFactory(code="CZ")
    a = f.MunicipalityFactory(jurisdiction=hu, name="Alfaváros", code="alfavaros")
    b = f.MunicipalityFactory(jurisdiction=cz, name="Betaměsto", code="betamesto")
    service_a = f.ServiceFactory(municipality=a)
    service_b = f.ServiceFactory(municipality=b)
    school_a1 = f.InstitutionFactory(municipality=a, name="A1 Általános Iskola")
    school_a2 = f.InstitutionFactory(municipality=a, name="A2 Általános Iskola")
    school_b1 = f.InstitutionFactory(municipality=b, name="ZŠ B1")
    class_a1 = f.GroupFactory(institution=school_a1, name="1.a")
    class_a2 = f.GroupFactory(institution=school_a2, name="3.b")
    class_b1 = f.GroupFactory(institution=school_b1, name="2.A")

    inside = f.ChildFactory(municipality=a, given_name="Bence", family_name="Szőke")
    secret = f.ChildFactory(
        municipality=a, given_name="Luca", family_name="Kovács", restricted=True
    )
    elsewhere = f.ChildFactory(municipality=a, given_name="Máté", family_name="Varga")
    abroad = f.ChildFactory(municipality=b, given_name="Jiří", family_name="Řezníček")
    for child, group in (
        (inside, class_a1),
        (secret, class_a1),
        (elsewhere, class_a2),
        (abroad, class_b1),
    ):
        f.EnrolmentFactory(child=child, group=group)
    parent_inside = f.AdultFactory(municipality=a, given_name="Anna", family_name="Szőke")
    parent_abroad = f.AdultFactory(municipality=b, given_name="Eva", family_name="Řezníčková")
    f.RelationshipFactory(child=inside, adult=parent_inside)
    f.RelationshipFactory(child=abroad, adult=parent_abroad)
    consent_inside = f.ConsentFactory(child=inside, given_by=parent_inside)
    consent_abroad = f.ConsentFactory(child=abroad, given_by=parent_abroad)

    def people(municipality, service, school, group, suffix):
        units = {
            Role.EDUCATOR: {"institution": school, "group": group},
            Role.INSTITUTION_LEAD: {"institution": school},
            Role.SOCIAL_HELPER: {"institution": school, "service": service},
            Role.CASE_WORKER: {"service": service},
            Role.SUPERVISOR: {"service": service},
        }
        users = {}
        for role in ROLES:
            user = f.UserFactory(username=f"{role}-{suffix}", municipality=municipality)
            f.TOTPDeviceFactory(user=user)
            f.MembershipFactory(
                user=user, role=role, municipality=municipality, **units.get(role, {})
            )
            users[role] = user
        return users

    users = people(a, service_a, school_a1, class_a1, "a")
    outsiders = people(b, service_b, school_b1, class_b1, "b")
    for child in (inside, secret):
        child.team_members.create(user=users[Role.CASE_WORKER])
    return World(
        municipality_a=a,
        municipality_b=b,
        service_a=service_a,
        school_a1=school_a1,
        school_a2=school_a2,
        school_b1=school_b1,
        class_a1=class_a1,
        class_a2=class_a2,
        class_b1=class_b1,
        inside=inside,
        secret=secret,
        elsewhere=elsewhere,
        abroad=abroad,
        parent_inside=parent_inside,
        parent_abroad=parent_abroad,
        consent_inside=consent_inside,
        consent_abroad=consent_abroad,
        users=users,
        outsiders=outsiders,
    )


def sign_in(client, user) -> None:
    """Sign in with the second factor already proven, as after a real two-factor sign-in."""
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
