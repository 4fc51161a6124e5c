"""The access matrix: every URL pattern of the project, every role, an object inside and one
outside the role's scope. A URL pattern without an expectation here fails the build, so a new
page cannot ship without a decision on who may open it. docs/access-policy.md shows the same
matrix in words.

Statuses: 200 shown, 302 redirected (sign-in, or done after a POST), 403 not permitted on a
visible object, 404 outside scope (no existence leak), 405 wrong method.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.tests.matrix import (
    ADM,
    ADMIN_ONLY,
    ANON,
    CW,
    EDU,
    EVERYONE,
    HELP,
    LEAD,
    MGR,
    SUP,
    Expect,
    admin_model,
    answers,
    app_expectations,
    url,
)
from earlyhelp.tests.personas import World, build_world, sign_in


def child(w: World, inside: bool) -> int:
    return (w.inside if inside else w.abroad).pk


def grant(w: World, inside: bool) -> int:
    """A break-glass opening by the manager of the municipality in question."""
    manager = w.users[MGR] if inside else w.outsiders[MGR]
    target = w.inside if inside else w.abroad
    return BreakGlassGrant.objects.create(
        user=manager,
        role=MGR,
        municipality=target.municipality,
        child=target,
        reason="A test of the review of break-glass openings.",
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    ).pk


NOT_FOUND_ALL = answers(404)
PERSON_PAGE = answers(404, **{EDU: 200, LEAD: 200, HELP: 200, CW: 200, SUP: 200})
PERSON_DETAILS = answers(404, **{HELP: 200, CW: 200, SUP: 200})
PERSON_SECTION = answers(404, **{EDU: 403, LEAD: 403, HELP: 200, CW: 200, SUP: 200})
PERSON_CHANGE = answers(404, **{EDU: 403, LEAD: 403, HELP: 200, CW: 200, SUP: 200})
PERSON_CHANGE_POST = answers(404, **{EDU: 403, LEAD: 403, HELP: 302, CW: 302, SUP: 302})

EXPECTATIONS: dict[str, Expect] = {
    "home": Expect(url("home"), answers(200)),
    "health": Expect(url("health"), answers(200, **{ANON: 200})),
    "set_language": Expect(
        url("set_language"),
        answers(302, **{ANON: 302}),
        method="post",
        data=lambda w, i: {"language": "hu", "next": "/"},
    ),
    # Accounts: open pages; signed-in visitors of the sign-in page go home.
    "accounts:login": Expect(url("accounts:login"), answers(302, **{ANON: 200})),
    "accounts:logout": Expect(url("accounts:logout"), answers(302), method="post"),
    "accounts:two_factor": Expect(url("accounts:two_factor"), answers(200)),
    # Everyone here has an authenticator: another one is added on the authenticators page.
    "accounts:two_factor_setup": Expect(url("accounts:two_factor_setup"), answers(302)),
    "accounts:password_reset": Expect(url("accounts:password_reset"), answers(200, **{ANON: 200})),
    "accounts:password_reset_done": Expect(
        url("accounts:password_reset_done"), answers(200, **{ANON: 200})
    ),
    "accounts:password_reset_confirm": Expect(
        url("accounts:password_reset_confirm", uidb64=lambda w, i: "MQ", token=lambda w, i: "x-y"),
        answers(200, **{ANON: 200}),
    ),
    "accounts:password_reset_complete": Expect(
        url("accounts:password_reset_complete"), answers(200, **{ANON: 200})
    ),
    # Children and adults.
    "people:child_list": Expect(
        url("people:child_list"),
        answers(403, **{EDU: 200, LEAD: 200, HELP: 200, CW: 200, SUP: 200}),
    ),
    "people:child_create": Expect(
        url("people:child_create"), answers(403, **{HELP: 200, CW: 200, SUP: 200})
    ),
    "people:child_detail": Expect(url("people:child_detail", pk=child), PERSON_PAGE, NOT_FOUND_ALL),
    # Sections of the child's page loaded on demand: the full record's, like its details.
    "people:child_family": Expect(
        url("people:child_family", pk=child), PERSON_SECTION, NOT_FOUND_ALL
    ),
    "people:child_help": Expect(url("people:child_help", pk=child), PERSON_SECTION, NOT_FOUND_ALL),
    "people:child_history": Expect(
        url("people:child_history", pk=child), PERSON_SECTION, NOT_FOUND_ALL
    ),
    "people:child_readers": Expect(
        url("people:child_readers", pk=child), PERSON_SECTION, NOT_FOUND_ALL
    ),
    "people:child_edit": Expect(url("people:child_edit", pk=child), PERSON_CHANGE, NOT_FOUND_ALL),
    "people:consent_create": Expect(
        url("people:consent_create", pk=child), PERSON_CHANGE, NOT_FOUND_ALL
    ),
    "people:consent_withdraw": Expect(
        url(
            "people:consent_withdraw",
            pk=child,
            consent_pk=lambda w, i: (w.consent_inside if i else w.consent_abroad).pk,
        ),
        PERSON_CHANGE_POST,
        NOT_FOUND_ALL,
        method="post",
        data=lambda w, i: {"withdrawn_on": "2026-11-01", "version": 1},
    ),
    "people:adult_add": Expect(url("people:adult_add", pk=child), PERSON_CHANGE, NOT_FOUND_ALL),
    "people:adult_edit": Expect(
        url("people:adult_edit", pk=lambda w, i: (w.parent_inside if i else w.parent_abroad).pk),
        PERSON_DETAILS,
        NOT_FOUND_ALL,
    ),
    "people:relationship_edit": Expect(
        url(
            "people:relationship_edit",
            pk=child,
            relationship_pk=lambda w, i: (w.inside if i else w.abroad).relationships.get().pk,
        ),
        PERSON_CHANGE,
        NOT_FOUND_ALL,
    ),
    "people:enrolment_add": Expect(
        url("people:enrolment_add", pk=child), PERSON_CHANGE, NOT_FOUND_ALL
    ),
    "people:enrolment_end": Expect(
        url(
            "people:enrolment_end",
            pk=child,
            enrolment_pk=lambda w, i: (w.inside if i else w.abroad).enrolments.get().pk,
        ),
        PERSON_CHANGE_POST,
        NOT_FOUND_ALL,
        method="post",
        data=lambda w, i: {"ends_on": "2026-11-01", "version": 1},
    ),
    "people:adult_detail": Expect(
        url("people:adult_detail", pk=lambda w, i: (w.parent_inside if i else w.parent_abroad).pk),
        PERSON_DETAILS,
        NOT_FOUND_ALL,
    ),
    # Break-glass.
    "access:break_glass": Expect(url("access:break_glass"), answers(403, **{MGR: 200, ADM: 200})),
    "access:break_glass_log": Expect(
        url("access:break_glass_log"), answers(403, **{SUP: 200, MGR: 200, ADM: 200})
    ),
    "access:break_glass_end": Expect(
        url("access:break_glass_end", pk=grant),
        answers(404, **{SUP: 403, MGR: 302}),
        answers(404),
        method="post",
    ),
    "access:break_glass_reviewed": Expect(
        url("access:break_glass_reviewed", pk=grant),
        answers(404, **{SUP: 302, MGR: 403}),
        answers(404),
        method="post",
    ),
}

# --- The administration pages -----------------------------------------------------------------
# Only an administrator (of municipality A here) gets in; everyone else is sent to the admin
# sign-in page. Inside: an object of municipality A; outside: the same kind in municipality B,
# which the admin answers with a redirect to its index ("does not exist"), never with the object.

ADMIN_OBJECTS: dict[str, Callable[[World, bool], object]] = {
    "organisations_municipality": lambda w, i: w.municipality_a if i else w.municipality_b,
    "organisations_service": lambda w, i: w.service_a if i else w.municipality_b.services.first(),
    "organisations_district": lambda w, i: (
        w.municipality_a if i else w.municipality_b
    ).districts.get_or_create(name="D")[0],
    "organisations_institution": lambda w, i: w.school_a1 if i else w.school_b1,
    "organisations_group": lambda w, i: w.class_a1 if i else w.class_b1,
    "organisations_districtpairing": lambda w, i: _pairing(w, i),
    "organisations_membership": lambda w, i: (w.users if i else w.outsiders)[
        EDU
    ].memberships.first(),
    "accounts_user": lambda w, i: (w.users if i else w.outsiders)[EDU],
    "organisations_jurisdiction": lambda w, i: (
        (w.municipality_a if i else w.municipality_b).jurisdiction
    ),
    "activities_activitytype": lambda w, i: (
        w.municipality_a if i else w.municipality_b
    ).activity_types.get(code="parent_club"),
    "screening_instrument": lambda w, i: (
        w.municipality_a if i else w.municipality_b
    ).screening_instruments.get_or_create(code="own", defaults={"name": "Our own"})[0],
}


def _pairing(w: World, inside: bool):
    municipality = w.municipality_a if inside else w.municipality_b
    school = w.school_a1 if inside else w.school_b1
    district = municipality.districts.get_or_create(name="D")[0]
    daycare = municipality.institutions.create(name="Daycare", kind="daycare")
    return school.paired_daycares.create(district=district, daycare=daycare)


def _admin_expectations() -> dict[str, Expect]:
    table: dict[str, Expect] = {
        "admin:index": Expect(url("admin:index"), ADMIN_ONLY),
        "admin:login": Expect(url("admin:login"), answers(200, **{ADM: 302, ANON: 200})),
        "admin:logout": Expect(url("admin:logout"), answers(302), method="post"),
        "admin:password_change": Expect(url("admin:password_change"), ADMIN_ONLY),
        "admin:password_change_done": Expect(url("admin:password_change_done"), ADMIN_ONLY),
        "admin:jsi18n": Expect(url("admin:jsi18n"), ADMIN_ONLY),
        "admin:autocomplete": Expect(
            lambda w, i: (
                reverse("admin:autocomplete")
                + "?app_label=organisations&model_name=membership&field_name=user&term=a"
            ),
            ADMIN_ONLY,
        ),
        "admin:app_list": Expect(
            lambda w, i: reverse("admin:app_list", args=["organisations"]), ADMIN_ONLY
        ),
        "admin/(?P<url>.*)$": Expect(
            lambda w, i: "/admin/no-such-page/", answers(302, **{ADM: 404})
        ),
    }
    for model, obj in ADMIN_OBJECTS.items():
        table.update(
            admin_model(
                model,
                obj,
                superuser_only=model == "organisations_jurisdiction",
                can_add=model != "organisations_municipality",
                can_delete=model not in {"organisations_municipality", "accounts_user"},
            )
        )
    # An administrator never sets a password (403); another municipality's account: 404.
    table["admin:auth_user_password_change"] = Expect(
        lambda w, i: reverse(
            "admin:auth_user_password_change", args=[(w.users if i else w.outsiders)[EDU].pk]
        ),
        answers(302, **{ADM: 403}),
        answers(302, **{ADM: 404}),
    )
    return table


EXPECTATIONS.update(_admin_expectations())
# Every other app states the expectations of its own pages in tests/access_expectations.py.
EXPECTATIONS.update(app_expectations())


def _routes(resolver=None, namespace: str = "", prefix: str = ""):
    """(name, route, view) of every URL pattern: the name with its namespaces (the route
    itself for an unnamed pattern), the route with its converters' names left out."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else route
            route = re.sub(r"<(\w+):\w+>", r"<\1>", route)
            view = pattern.callback
            # django-ninja adds a path once per operation, each answering every method.
            if view.__module__.startswith("ninja."):
                view = ("api", route)
            yield name, route, view


ALL_PATTERNS = sorted({name for name, _route, _view in _routes()})


def test_no_url_pattern_hides_another():
    """Two views on one route: the second is never reached, and its expectations test the
    first. (The API names each method of a path, served by one view.)"""
    seen: dict[str, tuple] = {}
    hidden = []
    for name, route, view in _routes():
        first = seen.setdefault(route, (name, view))
        if first[1] != view:
            hidden.append(f"{name} behind {first[0]} ({route})")
    assert not hidden, hidden


def test_every_url_pattern_has_an_expectation():
    missing = [name for name in ALL_PATTERNS if name not in EXPECTATIONS]
    assert not missing, f"URL patterns without an access expectation: {missing}"
    stale = [name for name in EXPECTATIONS if name not in ALL_PATTERNS]
    assert not stale, f"Expectations for URL patterns that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PATTERNS)
def test_access_matrix(name, client):
    expect = EXPECTATIONS[name]
    world = build_world()
    failures = []
    places = [(True, expect.inside)] + ([(False, expect.outside)] if expect.outside else [])
    for inside, table in places:
        for role in EVERYONE:
            with transaction.atomic():
                client.logout()
                user = None if role == ANON else world.users[role]
                if user is not None and expect.headers is None:
                    sign_in(client, user)
                target = expect.url(world, inside)
                response = expect.send(client, target, world, inside, user)
                if response.status_code != table[role]:
                    where = "inside" if inside else "outside"
                    failures.append(
                        f"{role} {expect.method.upper()} {target} ({where}): "
                        f"expected {table[role]}, got {response.status_code}"
                    )
                transaction.set_rollback(True)
    assert not failures, "\n".join(failures)
