"""Template context every page needs."""


def csp_nonce(request) -> dict:
    # django-htmx's {% htmx_script %} reads "csp_nonce"; reading it makes django-csp send it.
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": str(nonce) if nonce is not None else ""}
