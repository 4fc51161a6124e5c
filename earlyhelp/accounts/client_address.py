"""The address of the person at the other end of a request, the one place that decides it.

Without a proxy it is REMOTE_ADDR. Behind `EARLYHELP_PROXY_COUNT` trusted proxies, each proxy
appends the address it saw to X-Forwarded-For, so the last that many entries were written by
our own proxies and the one furthest left of them is what the outermost proxy saw: the client.
Anything further left was sent by the client and is never believed. A header that is missing,
too short or not an address falls back to REMOTE_ADDR, and the answer is never empty, so that
failed sign-ins of unrelated people are never counted together under "no address".
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Counted for requests that name no usable address at all (a socket without a peer address).
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104


def _address(text: str) -> str | None:
    """`text` as a normalised IP address, allowing the port some proxies add; else None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 198.51.100.7:443
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address as seen by the outermost trusted proxy (or by us, with none)."""
    fallback = _address(request.META.get("REMOTE_ADDR") or "") or UNKNOWN_ADDRESS
    proxies = settings.EARLYHELP_PROXY_COUNT
    if proxies < 1:
        return fallback
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < proxies:
        return fallback
    return _address(forwarded[-proxies]) or fallback
