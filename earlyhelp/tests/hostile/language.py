"""Whether a message shown to a Hungarian-speaking user is still in English: its text is the
English original (msgid) of a message that has a Hungarian translation."""

from __future__ import annotations

import ast
import functools
import re
from html import unescape
from pathlib import Path

from django.apps import apps
from django.conf import locale
from django.utils.translation import trans_real

PLACEHOLDER = re.compile(r"%\\\(\w+\\\)[sdfi]|%[sdfi]|\\\{\w*\\\}")
ERRORS = [
    re.compile(r'<p class="field__error"[^>]*>(.*?)</p>', re.S),
    re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S),
    re.compile(r'<li class="message message--error">(.*?)</li>', re.S),
    re.compile(r'<div class="alert alert--error"[^>]*>(.*?)</div>', re.S),
    re.compile(r'<p class="errornote">(.*?)</p>', re.S),
]
TAG = re.compile(r"<[^>]+>")
PLURAL = re.compile(r'msgid_plural ((?:"(?:[^"\\\n]|\\.)*"\s*)+)')


def _plurals() -> list[str]:
    """The English plural forms: the compiled catalogue keeps only the singular as a key."""
    catalogues = [Path(locale.__file__).parent / "hu" / "LC_MESSAGES" / "django.po"]
    catalogues += [
        Path(config.path) / "locale" / "hu" / "LC_MESSAGES" / "django.po"
        for config in apps.get_app_configs()
    ]
    found = []
    for path in catalogues:
        if path.exists():
            for pieces in PLURAL.findall(path.read_text(encoding="utf-8")):
                found.append(
                    "".join(ast.literal_eval(p) for p in re.findall(r'"(?:[^"\\]|\\.)*"', pieces))
                )
    return found


@functools.cache
def _english() -> tuple[frozenset[str], re.Pattern | None]:
    catalog = trans_real.translation("hu")._catalog
    exact, patterns = set(), []
    msgids = []
    for key in catalog.keys():  # noqa: SIM118 - a TranslationCatalog is no dict
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(msgid, str) and catalog[key] != msgid:
            msgids.append(msgid)
    for msgid in msgids + _plurals():
        if len(msgid) < 12:
            continue
        escaped = re.escape(msgid)
        if PLACEHOLDER.search(escaped):
            patterns.append(PLACEHOLDER.sub(".+?", escaped))
        else:
            exact.add(msgid)
    return frozenset(exact), re.compile(
        "|".join(f"(?:{p})" for p in patterns)
    ) if patterns else None


def error_texts(html: str) -> list[str]:
    texts = []
    for pattern in ERRORS:
        for block in pattern.findall(html):
            for piece in re.split(r"</?(?:li|p)[^>]*>", block):
                text = " ".join(unescape(TAG.sub(" ", piece)).split())
                if text:
                    texts.append(text)
    return texts


def has_errors(html: str) -> bool:
    return any(pattern.search(html) for pattern in ERRORS)


def english(texts: list[str]) -> list[str]:
    exact, patterns = _english()
    return [
        text
        for text in texts
        if text in exact or (patterns is not None and patterns.fullmatch(text))
    ]
