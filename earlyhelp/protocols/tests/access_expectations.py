"""Who may open the protocols' administration pages (see earlyhelp/tests/matrix.py).

Municipal settings and closing days belong to a municipality: its administrator manages them,
another municipality's are answered as missing. Profiles belong to no municipality: an
administrator reads them (the change page is read-only), only a superuser adds or deletes."""

from django.urls import reverse
from django.utils import timezone

from earlyhelp.protocols.models import ClosingDay, MunicipalSetting, Profile
from earlyhelp.tests.matrix import (
    ADMIN_FORBIDDEN,
    ADMIN_ONLY,
    Expect,
    admin_model,
    answers,
    url,
)
from earlyhelp.tests.personas import World


def _municipality(w: World, inside: bool):
    return w.municipality_a if inside else w.municipality_b


def _setting(w: World, inside: bool) -> MunicipalSetting:
    return MunicipalSetting.objects.get_or_create(
        municipality=_municipality(w, inside),
        key=MunicipalSetting.Key.ACTING_WORKING_DAYS,
        defaults={"value": 3},
    )[0]


def _closing_day(w: World, inside: bool) -> ClosingDay:
    return ClosingDay.objects.get_or_create(
        municipality=_municipality(w, inside),
        date="2026-12-31",
        defaults={"reason": "Town hall closed between the years"},
    )[0]


RULES = {
    "source": "test",
    "authority": "the statutory child-protection authority",
    "emergency_number": "112",
    "reporter_kinds": ["professional"],
    "reporters": {"professional": {"anonymous_allowed": False, "feedback": "municipal"}},
    "deadlines": [{"code": "acting", "label": "Act on the concern", "unit": "hours", "amount": 8}],
}


def _profile(w: World, inside: bool) -> Profile:
    return Profile.objects.get_or_create(
        key=Profile.Key.GENERIC,
        version=99,
        defaults={"name": "Matrix", "rules": RULES, "published_at": timezone.now()},
    )[0]


def _profile_url(view: str):
    return lambda w, i: reverse(f"admin:protocols_profile_{view}", args=[_profile(w, i).pk])


EXPECTATIONS: dict[str, Expect] = {
    **admin_model("protocols_municipalsetting", _setting),
    **admin_model("protocols_closingday", _closing_day),
    # Profiles: read by administrators; no object lies outside their scope.
    "admin:protocols_profile_changelist": Expect(
        url("admin:protocols_profile_changelist"), ADMIN_ONLY
    ),
    "admin:protocols_profile_add": Expect(url("admin:protocols_profile_add"), ADMIN_FORBIDDEN),
    "admin:protocols_profile_change": Expect(_profile_url("change"), ADMIN_ONLY),
    "admin:protocols_profile_history": Expect(_profile_url("history"), ADMIN_ONLY),
    "admin:protocols_profile_delete": Expect(_profile_url("delete"), ADMIN_FORBIDDEN),
    "admin/protocols/profile/<path:object_id>/": Expect(
        lambda w, i: f"{reverse('admin:protocols_profile_changelist')}{_profile(w, i).pk}/",
        answers(302),
    ),
}
