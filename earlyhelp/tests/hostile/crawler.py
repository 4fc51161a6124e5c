"""The crawler itself: signs a persona in, reads the forms of a page, submits each one with
every class of the sweep and with generated examples, and checks every answer. Each submission
runs in a savepoint that is rolled back, so one world serves them all."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import Resolver404, resolve
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from earlyhelp.tests.hostile import database, language
from earlyhelp.tests.hostile.pages import Field, Form
from earlyhelp.tests.hostile.values import (
    ABSENT_ID,
    UNTOUCHED,
    Attack,
    field_value,
    sweep_for,
)
from earlyhelp.tests.personas import sign_in

# Generated examples per form and persona, after the fixed sweep: a few in `make test`, more
# in `make fuzz`.
EXAMPLES = int(os.environ.get("EARLYHELP_FUZZ_EXAMPLES", "1"))
# Every class as every persona (make fuzz); otherwise the personas who share a form share out
# its sweep, so each class still reaches each form once.
FULL = os.environ.get("EARLYHELP_FUZZ_FULL", "") not in {"", "0"}
REFUSALS = {400, 403, 404, 405, 409, 413, 422, 429}
TYPED_BACK = {"text", "textarea", "email", "tel", "search", "url"}  # re-rendered with the value
HEADERS = {"HTTP_ACCEPT_LANGUAGE": "hu"}
# Values no form may store: saving them is a failure even without an error.
NEVER_STORED = {
    "date-0001": "a date in the year 1 was stored",
    "time-nonexistent": "a local time that does not exist was stored",
}

# Forms that keep a refused report as the reporter's draft, so that nothing typed is lost
# (docs/concerns.md): there a refusal may change the draft's own rows, and nothing else.
KEEPS_A_DRAFT = {
    "concerns:report": {"concerns_concern", "concerns_concernchild"},
    "concerns:edit": {"concerns_concern", "concerns_concernchild"},
}


@dataclass
class Failure:
    pattern: str
    persona: str
    action: str
    attack: str
    fields: str
    problem: str
    detail: str = ""

    def __str__(self) -> str:
        return f"[{self.attack}] {self.persona} {self.action} {self.fields}: {self.problem}" + (
            f"\n    {self.detail}" if self.detail else ""
        )


def _name_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _short(values: list) -> str:
    text = repr(values)
    return text if len(text) < 60 else f"{text[:40]}…({sum(len(str(v)) for v in values)} chars)"


@dataclass
class Crawler:
    pattern: str
    world: object
    client: object
    outside_ids: dict  # model -> [pk of an object in the other municipality]
    persona: str = ""
    cases: int = 0
    forms: int = 0
    failures: list[Failure] = field(default_factory=list)
    _foreign: dict = field(default_factory=dict)

    # --- Who and where ------------------------------------------------------------------------

    def become(self, role: str, user) -> None:
        self.persona = role
        self.client.logout()
        self.client.cookies = SimpleCookie()
        if user is not None:
            user.preferred_language = "hu"
            user.save(update_fields=["preferred_language"])
            sign_in(self.client, user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hu"

    def page_forms(self, page: str, html: str, forms: list[Form], own: set[str]) -> list[Form]:
        """The forms of the page that send to the page itself or to one of its own actions
        (the layout's sign-out and language forms are crawled at their own address)."""
        chosen, seen = [], set()
        for form in forms:
            target = urlsplit(form.action)
            if target.netloc:
                continue
            form.action = target.path or urlsplit(page).path
            if target.query:
                form.action += "?" + target.query
            if _name_of(target.path or urlsplit(page).path) not in own:
                continue
            if form.signature() in seen:
                continue
            seen.add(form.signature())
            chosen.append(form)
        return chosen

    # --- Ids of another municipality -----------------------------------------------------------

    def foreign(self, item: Field) -> str:
        """An id the field was not offered: a row of the same kind in the other municipality
        if one exists, else any row of that kind the form did not offer, else none at all."""
        offered = [value for value, _label in item.options if value.isdigit()]
        if item.kind == "hidden":
            offered = [item.value]
        key = (item.name, tuple(offered))
        if key not in self._foreign:
            self._foreign[key] = self._find_foreign(item, offered)
        return self._foreign[key]

    def _find_foreign(self, item: Field, offered: list[str]) -> str:
        labels = {label for _value, label in item.options if label}
        ids = [int(value) for value in offered]
        for model, outside in self.outside_ids.items():
            rows = list(model._default_manager.filter(pk__in=ids)[:50])
            if len(rows) != len(set(ids)):
                continue
            if labels and not any(str(row) in labels for row in rows):
                continue
            if not labels and model._meta.model_name not in item.name.replace("_", ""):
                continue
            for pk in outside:
                if str(pk) not in offered:
                    return str(pk)
        return ABSENT_ID

    # --- Submitting ----------------------------------------------------------------------------

    def send(self, form: Form, payload: dict[str, list], files: dict | None = None):
        if form.method == "get":
            path, _, query = form.action.partition("?")
            return self.client.get(path, payload, **HEADERS)
        if form.multipart or files:
            data = {name: values for name, values in payload.items() if values}
            data.update(files or {})
            return self.client.post(form.action, data, **HEADERS)
        body = urlencode([(n, v) for n, values in payload.items() for v in values])
        return self.client.post(
            form.action, body, content_type="application/x-www-form-urlencoded", **HEADERS
        )

    def attempt(self, form: Form, attack: str, payload, fields: str, files=None, *, twice=False):
        """One submission (two for a replay) in a savepoint that is rolled back afterwards."""
        cookies = SimpleCookie(self.client.cookies.output(header="", sep="\n"))
        before = self.before
        with transaction.atomic():
            for _ in range(2 if twice else 1):
                self.cases += 1
                response = self.send(form, payload, files)
                if not self.check(form, attack, payload, fields, response, before):
                    break
                before = self.fingerprint() if twice else before
            transaction.set_rollback(True)
        self.client.cookies = cookies

    def fingerprint(self):
        try:
            with transaction.atomic():
                return database.fingerprint()
        except DatabaseError:
            return None

    def fail(self, form: Form, attack: str, fields: str, problem: str, detail: str = "") -> None:
        self.failures.append(
            Failure(self.pattern, self.persona, form.action, attack, fields, problem, detail)
        )

    def check(self, form, attack, payload, fields, response, before) -> bool:
        status = response.status_code
        if status >= 500:
            detail = ""
            if getattr(response, "exc_info", None):
                lines = traceback.format_exception(*response.exc_info)
                detail = lines[-1].strip()
            self.fail(form, attack, fields, f"HTTP {status}", detail)
            return False
        html = (
            ""
            if getattr(response, "streaming", False)
            else response.content.decode(errors="replace")
        )
        rerendered = status == 200 and language.has_errors(html)
        if attack == "oversized" and status == 400:
            # Too large to read: the answer says so (413) in a page that names what to shorten.
            # (An action that never reads its body may ignore it.)
            self.fail(form, attack, fields, f"oversized body answered {status}, not 413")
        if form.method == "post" and attack in NEVER_STORED and not rerendered:
            after = self.fingerprint()
            if after is not None and database.changed(before, after):
                self.fail(form, attack, fields, NEVER_STORED[attack], f"HTTP {status}")
        if status in REFUSALS or rerendered:
            after = self.fingerprint()
            if after is None:
                self.fail(form, attack, fields, f"HTTP {status} after a database error")
                return False
            changed = [
                table
                for table in database.changed(before, after)
                if table not in KEEPS_A_DRAFT.get(self.pattern, ())
            ]
            if changed:
                self.fail(
                    form, attack, fields, f"refused ({status}) but changed rows", str(changed)
                )
        if rerendered:
            texts = language.error_texts(html)
            untranslated = language.english(texts)
            if untranslated:
                self.fail(form, attack, fields, "error message in English", "; ".join(untranslated))
            if attack in {"rtl-emoji", "length-at"}:
                for item in form.fields:
                    if item.kind not in TYPED_BACK or f'name="{item.name}"' not in html:
                        continue
                    typed = payload.get(item.name) or [""]
                    if typed[-1] and escape(typed[-1]) not in html:
                        self.fail(form, attack, item.name, "typed value not shown again")
        return True

    # --- The attacks ---------------------------------------------------------------------------

    def crawl(self, form: Form, before, share: tuple[int, int] = (0, 1)) -> None:
        """Send `form` with the sweep (the persona's `share`: (k, n) takes every n-th class
        from the k-th) and the generated examples."""
        self.forms += 1
        self.before = before
        baseline: dict[str, list] = {}
        for name, value in form.baseline():
            baseline.setdefault(name, []).append(value)
        mine, shares = share
        for index, attack in enumerate(sweep_for(form, FULL)):
            if FULL or index % shares == mine:
                self.sweep(form, attack, baseline)
        if EXAMPLES:
            self.generated(form, baseline)

    def sweep(self, form: Form, attack: Attack, baseline: dict[str, list]) -> None:
        payload = {name: list(values) for name, values in baseline.items()}
        if attack.name == "replay":
            self.attempt(form, attack.name, payload, "(as rendered)", twice=True)
            return
        if attack.name == "missing":
            kept = {n: v for n, v in payload.items() if n in UNTOUCHED}
            self.attempt(form, attack.name, kept, "(every field left out)")
            return
        if attack.name == "duplicate":
            for item in form.fields:
                if item.name in UNTOUCHED or item.kind == "file":
                    continue
                first = payload.get(item.name) or [""]
                other = [v for v, _ in item.options if v not in first][:1] or ["2"]
                payload[item.name] = first[:1] + other
            self.attempt(form, attack.name, payload, "(every field twice)")
            return
        if attack.name == "oversized":
            size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
            texts = [f for f in form.fields if f.kind == "textarea"] or [
                f for f in form.fields if f.kind == "text"
            ]
            name = texts[0].name if texts else "padding"
            payload[name] = ["x" * size]
            self.attempt(form, attack.name, payload, f"{name} ({size} bytes)")
            return
        touched = [item for item in form.fields if attack.applies(item)]
        files = None
        if attack.files:
            files = {item.name: attack.files(item) for item in touched}
        else:
            for item in touched:
                payload[item.name] = attack.value(item, self.foreign)
        described = ", ".join(f"{f.name}={_short(payload.get(f.name, []))}" for f in touched)
        if attack.files:
            described = ", ".join(f"{n}={upload.name}" for n, upload in files.items())
        self.attempt(form, attack.name, payload, described, files)

    def generated(self, form: Form, baseline: dict[str, list]) -> None:
        candidates = [f for f in form.fields if f.name not in UNTOUCHED and f.kind != "file"]
        if not candidates:
            return

        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
        @given(st.data())
        def example(data):
            chosen = data.draw(
                st.lists(st.sampled_from(candidates), min_size=1, max_size=3, unique_by=id)
            )
            payload = {name: list(values) for name, values in baseline.items()}
            for item in chosen:
                payload[item.name] = data.draw(field_value(item, self.foreign))
            described = ", ".join(f"{f.name}={_short(payload[f.name])}" for f in chosen)
            self.attempt(form, "generated", payload, described)

        example()


def outside_ids(world) -> dict:
    """The rows of the other municipality, per model, that a form must never accept."""
    from earlyhelp.accounts.models import User
    from earlyhelp.organisations.models import Membership

    found: dict = {}

    def add(obj):
        found.setdefault(type(obj), []).append(obj.pk)

    for obj in (
        world.abroad,
        world.parent_abroad,
        world.consent_abroad,
        world.school_b1,
        world.class_b1,
        world.municipality_b,
    ):
        add(obj)
    for service in world.municipality_b.services.all():
        add(service)
    for user in world.outsiders.values():
        add(user)
    for membership in Membership.objects.filter(user__in=world.outsiders.values()):
        add(membership)
    found.setdefault(User, [])
    # Rows of other kinds made for the other municipality by the matrix's own set-up: any row
    # of an app's model that is not offered is foreign to the form.
    for model in apps.get_models():
        if model.__module__.startswith("earlyhelp.") and model not in found:
            found[model] = list(
                model._default_manager.order_by("-pk").values_list("pk", flat=True)[:3]
            )
    return found
