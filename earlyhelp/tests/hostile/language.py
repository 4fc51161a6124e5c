"""Whether a message shown to a Hungarian-speaking user is still in English: its text is the
English original (msgid) of a message that has a Hungarian translation."""

from __future__ import annotations

import functools
import re
from html import unescape

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


@functools.cache
def _english() -> tuple[frozenset[str], re.Pattern | None]:
    catalog = trans_real.translation("hu")._catalog
    exact, patterns = set(), []
    for key in catalog.keys():  # noqa: SIM118 - a TranslationCatalog is no dict
        msgid = key[0] if isinstance(key, tuple) else key
        translated = catalog[key]
        if not isinstance(msgid, str) or len(msgid) < 12 or translated == msgid:
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
