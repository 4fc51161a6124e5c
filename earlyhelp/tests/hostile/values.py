"""Hostile values, per kind of field: a fixed sweep that tries each class of attack once on
every field it applies to (SWEEP), and hypothesis strategies that draw more of the same kinds
(field_value). A value is a list: one string per time the field is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from earlyhelp.tests.hostile.pages import TEXT_KINDS, Field, Form

NUMBER_KINDS = {"number", "range"}
DATE_KINDS = {"date"}
DATETIME_KINDS = {"datetime-local"}
UNTOUCHED = {"csrfmiddlewaretoken"}
ABSENT_ID = str(2**31)  # an id no row has, still within a 32-bit integer column
RTL_EMOJI = "\u202eőrizet\u202c \u05e9\u05dc\u05d5\u05dd 👩\u200d👧\u200d👦 𝕏"


def is_numeric(text: str) -> bool:
    return text.isdigit()


def is_id(item: Field) -> bool:
    """A field that names a row: a choice among ids, or a hidden id."""
    if item.kind in {"select", "radio", "checkbox"}:
        return any(is_numeric(value) for value, _label in item.options)
    return item.kind == "hidden" and is_numeric(item.value) and item.name != "version"


def is_text(item: Field) -> bool:
    return item.kind in TEXT_KINDS or (item.kind == "hidden" and not is_numeric(item.value))


def is_number(item: Field) -> bool:
    return item.kind in NUMBER_KINDS or (item.kind == "hidden" and item.name == "version")


@dataclass
class Attack:
    """One class of hostile input: which fields it applies to and the value each gets
    (`value(field, foreign_id)`), or, for the attacks on a form's shape, a whole payload."""

    name: str
    applies: Callable[[Field], bool] = lambda item: False
    value: Callable[[Field, Callable[[Field], str]], list] | None = None
    files: Callable[[Field], SimpleUploadedFile] | None = None


def _far(item: Field) -> list[str]:
    return ["x" * max(20_000, 100 * (item.maxlength or 0))]


def _date(date: str, time: str = "00:00") -> Callable:
    def value(item: Field, foreign) -> list[str]:
        return [date if item.kind in DATE_KINDS else f"{date}T{time}"]

    return value


def _dated(item: Field) -> bool:
    return item.kind in DATE_KINDS | DATETIME_KINDS


def html_named_pdf(item: Field) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )


def jpeg_then_html(item: Field) -> SimpleUploadedFile:
    body = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return SimpleUploadedFile(
        "photo.jpg", body + b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )


def oversized_file(item: Field) -> SimpleUploadedFile:
    size = settings.EARLYHELP_ATTACHMENT_MAX_BYTES + 1
    return SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf"
    )


SWEEP: list[Attack] = [
    Attack(
        "nul",
        lambda f: f.name not in UNTOUCHED and f.kind != "file",
        lambda f, foreign: [(f.value or (f.options[0][0] if f.options else "")) + "\x00"],
    ),
    Attack("control", is_text, lambda f, foreign: ["ctl\x01\x08\x0b\x1b\x7f\u0085\u2028"]),
    Attack(
        "length-at",
        lambda f: is_text(f) and bool(f.maxlength),
        lambda f, foreign: ["ő" * f.maxlength],
    ),
    Attack(
        "length-over",
        lambda f: is_text(f) and bool(f.maxlength),
        lambda f, foreign: ["ő" * (f.maxlength + 1)],
    ),
    Attack("length-far", is_text, lambda f, foreign: _far(f)),
    Attack(
        "rtl-emoji",
        lambda f: f.kind in TEXT_KINDS - {"email", "url", "password"},
        lambda f, foreign: [RTL_EMOJI],
    ),
    Attack("date-0001", _dated, _date("0001-01-01")),
    Attack("date-1850", _dated, _date("1850-01-01")),
    Attack("date-9999", _dated, _date("9999-12-31", "23:59")),
    Attack("date-garbage", _dated, _date("2026-02-30", "25:61")),
    Attack(
        "time-nonexistent",
        lambda f: f.kind in DATETIME_KINDS,
        lambda f, foreign: ["2026-03-29T02:30"],
    ),
    Attack(
        "time-ambiguous",
        lambda f: f.kind in DATETIME_KINDS,
        lambda f, foreign: ["2026-10-25T02:30"],
    ),
    Attack("number-negative", is_number, lambda f, foreign: ["-1"]),
    Attack("number-huge", lambda f: is_number(f) or is_id(f), lambda f, foreign: [str(2**63)]),
    Attack("number-overflow", is_number, lambda f, foreign: ["1e309"]),
    Attack("number-nan", is_number, lambda f, foreign: ["NaN"]),
    Attack("id-foreign", is_id, lambda f, foreign: [foreign(f)]),
    Attack("id-missing", is_id, lambda f, foreign: [ABSENT_ID]),
    Attack("id-not-number", is_id, lambda f, foreign: ["1x"]),
    Attack("file-html-pdf", lambda f: f.kind == "file", files=html_named_pdf),
    Attack("file-jpeg-html", lambda f: f.kind == "file", files=jpeg_then_html),
    Attack("file-oversized", lambda f: f.kind == "file", files=oversized_file),
    # The shape of the form: handled by the crawler itself.
    Attack("duplicate"),
    Attack("missing"),
    Attack("oversized"),
    Attack("replay"),
]

# The sweep of `make test`: the classes most likely to break a page, each once per form. `make
# fuzz` (EARLYHELP_FUZZ_FULL=1) sends every class, as every persona.
QUICK = {
    "nul",
    "length-over",
    "rtl-emoji",
    "date-0001",
    "date-9999",
    "time-nonexistent",
    "number-huge",
    "id-foreign",
    "id-not-number",
    "file-jpeg-html",
    "duplicate",
    "missing",
    "oversized",
    "replay",
}

# What a web form never sends as a whole, so a GET form (a filter, a search) skips it.
POST_ONLY = {"file-html-pdf", "file-jpeg-html", "file-oversized", "oversized", "replay"}


def sweep_for(form: Form, full: bool) -> list[Attack]:
    chosen = []
    for attack in SWEEP:
        if not full and attack.name not in QUICK:
            continue
        if form.method == "get" and attack.name in POST_ONLY:
            continue
        if (
            attack.value is None
            and attack.files is None
            or any(attack.applies(item) for item in form.fields)
        ):
            chosen.append(attack)
    return chosen


# --- Strategies for the generated examples -----------------------------------------------------

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    "\x7f\u0085\u2028\u202e\ufeff"
)
HOSTILE_TEXT = st.one_of(
    st.text(alphabet=CONTROL | st.characters(), max_size=40),
    st.sampled_from([RTL_EMOJI, "\x00", " ", "<script>alert(1)</script>", "' OR 1=1 --"]),
    st.integers(min_value=1, max_value=5000).map(lambda n: "ő" * n),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["-1", "0", str(2**63), str(2**31), "1e309", "NaN", "-inf", "1_000", "٣"]),
)
HOSTILE_DATE = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["0001-01-01", "1850-01-01", "9999-12-31", "2026-02-30", "0000-00-00", "x"]),
)
HOSTILE_DATETIME = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(["2026-03-29T02:30", "2026-10-25T02:30", "9999-12-31T23:59", "T", "x"]),
)


def field_value(item: Field, foreign: Callable[[Field], str]) -> st.SearchStrategy[list[str]]:
    """A strategy for what one field is sent: one value, or the field twice, or not at all."""
    if is_id(item):
        one = (
            st.sampled_from(
                [
                    foreign(item),
                    ABSENT_ID,
                    "1x",
                    "-1",
                    str(2**63),
                    "",
                    *(v for v, _ in item.options),
                ]
            )
            | HOSTILE_TEXT
        )
    elif is_number(item):
        one = HOSTILE_NUMBER
    elif item.kind in DATE_KINDS:
        one = HOSTILE_DATE
    elif item.kind in DATETIME_KINDS:
        one = HOSTILE_DATETIME
    elif item.kind in {"select", "radio", "checkbox"}:
        one = st.sampled_from([v for v, _ in item.options] or [""]) | HOSTILE_TEXT
    else:
        one = HOSTILE_TEXT
    return st.one_of(
        one.map(lambda value: [value]),
        st.lists(one, min_size=2, max_size=3),
        st.just([]),
    )
