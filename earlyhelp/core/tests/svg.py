"""Checks on drawn charts, shared by the apps' tests: every number in an SVG is written with a
decimal point (a decimal comma from the hu, cs or da localisation breaks the drawing), and
each drawn value is a dot."""

from __future__ import annotations

import re

NUMERIC = ("x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r", "points", "d")
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
ATTRIBUTE = re.compile(r"""\s([a-zA-Z][\w:-]*)="([^"]*)\"""")
NUMBER = re.compile(r"^-?\d+(\.\d+)?(%)?$")


def svgs(html: str) -> list[str]:
    return SVG.findall(html)


def bad_numbers(html: str) -> list[str]:
    """Every numeric attribute of every SVG in `html` that is not a number as SVG reads it
    ("232,0" in y1, "12,5 40,0" in points: a comma inside a number)."""
    bad = []
    for svg in svgs(html):
        for name, value in ATTRIBUTE.findall(svg):
            if name == "viewBox":
                if not all(NUMBER.match(part) for part in value.split()):
                    bad.append(f'{name}="{value}"')
            elif name in ("points",):
                pairs = [pair.split(",") for pair in value.split()]
                if not all(len(p) == 2 and all(NUMBER.match(n) for n in p) for p in pairs):
                    bad.append(f'{name}="{value}"')
            elif name == "d":
                if re.search(r"\d,\d", value):
                    bad.append(f'{name}="{value}"')
            elif name in NUMERIC and not NUMBER.match(value):
                bad.append(f'{name}="{value}"')
    return bad


def dots(html: str) -> int:
    """How many values are drawn as dots in the SVGs of `html`."""
    return sum(svg.count("<circle") for svg in svgs(html))


def assert_drawn_for_every_language(render, *, dots_at_least: int = 1) -> None:
    """`render()` in Hungarian and Czech (decimal commas) draws SVG numbers with points and at
    least `dots_at_least` dots."""
    from django.utils import translation

    for language in ("hu", "cs"):
        with translation.override(language):
            html = render(language)
        assert svgs(html), f"no chart drawn in {language}"
        assert bad_numbers(html) == [], language
        assert dots(html) >= dots_at_least, language
