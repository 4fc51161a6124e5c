"""Account pages in the access matrix. Every persona has one authenticator and has proven it;
inside, the authenticator to remove is the educator's of A, outside the educator's of B."""

from earlyhelp.tests.matrix import ANON, EDU, Expect, answers, url


def device(w, inside: bool) -> int:
    return (w.users if inside else w.outsiders)[EDU].totpdevice_set.get().pk


EXPECTATIONS = {
    "accounts:devices": Expect(url("accounts:devices"), answers(200)),
    "accounts:device_add": Expect(url("accounts:device_add"), answers(200)),
    # Only one's own authenticator; the educator's only one, so the page says it cannot go.
    "accounts:device_remove": Expect(
        url("accounts:device_remove", pk=device), answers(404, **{EDU: 200}), answers(404)
    ),
    # An invitation link that is not valid: the page says so, to anyone.
    "accounts:invitation": Expect(
        url("accounts:invitation", uidb64=lambda w, i: "MQ", token=lambda w, i: "x-y"),
        answers(200, **{ANON: 200}),
    ),
}
