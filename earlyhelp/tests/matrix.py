"""The vocabulary of the access matrix (earlyhelp/access/tests/test_matrix.py), shared with the
apps: each app lists the expected answers of its own URL patterns in
`earlyhelp/<app>/tests/access_expectations.py` as `EXPECTATIONS = {pattern name: Expect(...)}`.

Statuses: 200 shown, 302 redirected (sign-in, or done after a POST), 403 not permitted on a
visible object, 404 outside scope (no existence leak), 405 wrong method.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import reverse

from earlyhelp.tests.personas import ROLES, World

EDU, LEAD, HELP, CW, SUP, MGR, ANA, ADM, DPO = ROLES
ANON = "anonymous"
EVERYONE = [*ROLES, ANON]
SIGNED_IN = ROLES


def answers(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per role: `default` for every signed-in role unless overridden;
    anonymous visitors are sent to sign in (302) unless overridden."""
    table = {role: default for role in ROLES}
    table[ANON] = 302
    table.update(overrides)
    return table


@dataclass
class Expect:
    url: Callable[[World, bool], str]  # (world, inside) -> URL
    inside: dict[str, int]
    outside: dict[str, int] | None = None  # None: the URL names no object
    method: str = "get"
    data: Callable[[World, bool], dict] = field(default=lambda w, inside: {})
    # For the API: request headers for the signed-in user (e.g. a bearer token), and a JSON body.
    headers: Callable[[object], dict] | None = None
    json: bool = False

    def send(self, client, target: str, world: World, inside: bool, user) -> object:
        data = self.data(world, inside)
        extra = self.headers(user) if self.headers and user is not None else {}
        if self.json:
            return getattr(client, self.method)(
                target, data, content_type="application/json", **extra
            )
        return getattr(client, self.method)(target, data, **extra)


def url(name: str, **kwargs: Callable[[World, bool], object]) -> Callable[[World, bool], str]:
    return lambda w, inside: reverse(name, kwargs={k: v(w, inside) for k, v in kwargs.items()})


# The administration site: only an administrator gets in; everyone else is sent to the admin
# sign-in page. Inside: an object of municipality A; outside: the same kind in municipality B,
# which the admin answers with a redirect to its index ("does not exist"), never the object.
ADMIN_ONLY = answers(302, **{ADM: 200})
ADMIN_FORBIDDEN = answers(302, **{ADM: 403})


def admin_model(
    label: str,
    obj: Callable[[World, bool], object],
    *,
    superuser_only: bool = False,
    can_add: bool = True,
    can_delete: bool = True,
) -> dict[str, Expect]:
    """The expectations of one model's admin pages; `label` is "app_model", `obj(world,
    inside)` gives an object inside or outside municipality A."""

    def object_url(view: str):
        return lambda w, i: reverse(f"admin:{label}_{view}", args=[obj(w, i).pk])

    listing = ADMIN_FORBIDDEN if superuser_only else ADMIN_ONLY
    table = {
        f"admin:{label}_changelist": Expect(url(f"admin:{label}_changelist"), listing),
        f"admin:{label}_add": Expect(
            url(f"admin:{label}_add"),
            ADMIN_ONLY if can_add and not superuser_only else ADMIN_FORBIDDEN,
        ),
    }
    for view in ("change", "history", "delete"):
        forbidden = superuser_only or (view == "delete" and not can_delete)
        table[f"admin:{label}_{view}"] = Expect(
            object_url(view),
            ADMIN_FORBIDDEN if forbidden else ADMIN_ONLY,
            ADMIN_FORBIDDEN if forbidden else answers(302),
        )
    app, name = label.split("_", 1)
    table[f"admin/{app}/{name}/<path:object_id>/"] = Expect(
        lambda w, i: f"{reverse(f'admin:{label}_changelist')}{obj(w, i).pk}/",
        answers(302),
        answers(302),
    )
    return table


def app_expectations() -> dict[str, Expect]:
    """The expectations every earlyhelp app declares for its own pages."""
    table: dict[str, Expect] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("earlyhelp."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_expectations")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.access_expectations":
                raise
            continue
        duplicated = set(table) & set(module.EXPECTATIONS)
        assert not duplicated, f"Expectations declared twice: {duplicated}"
        table.update(module.EXPECTATIONS)
    return table
