"""Sections of a long page loaded on demand.

A record page shows what most readers need first and leaves its heavy sections (a record's
history, who has seen it, a case's chronology) to their own URLs. Each such URL is an ordinary
view that opens the record through the policy and audits the read (`open_record`); this module
only chooses what it answers: the section alone to htmx, which puts it in place on the page, and
a whole page to a browser without JavaScript, which followed the section's link.
"""

from django.http import HttpResponse
from django.shortcuts import render


def is_fragment(request) -> bool:
    """Whether the request asks for a part of a page (htmx), which the page's frame (its
    navigation and counts) around it does not need: context processors skip their work."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def render_section(
    request, template: str, context: dict, *, title: str, back_url: str, status: int = 200
) -> HttpResponse:
    """The section `template` alone for an htmx request, else a page holding it under `title`
    with a link back to the record (`back_url`). A section with parts of its own titles them
    with `section_heading`: h3 under the record's h2, h2 under the section page's h1."""
    if request.htmx:
        return render(request, template, {**context, "section_heading": "h3"}, status=status)
    page = {
        **context,
        "section_heading": "h2",
        "section_template": template,
        "section_title": title,
        "back_url": back_url,
    }
    return render(request, "components/section_page.html", page, status=status)
