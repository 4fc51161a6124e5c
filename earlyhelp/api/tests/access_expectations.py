"""The API in the access matrix: every role calls it with a bearer token of its own account;
without a token the answer is 401."""

import itertools

from earlyhelp.api.models import ApiToken
from earlyhelp.concerns.tests.access_expectations import concern
from earlyhelp.tests.matrix import CW, EDU, HELP, LEAD, SUP, Expect, answers, url

_keys = itertools.count()


def bearer(user) -> dict:
    _token, raw = ApiToken.issue(user=user, name="matrix")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": f"matrix-{next(_keys)}"}


def new_concern(w, inside: bool) -> dict:
    return {
        "institution_id": (w.school_a1 if inside else w.school_b1).pk,
        "children": [{"child_id": (w.inside if inside else w.abroad).pk, "role": "harmed"}],
        "what_happened": "Came to school hungry three days this week.",
        "categories": ["neglect"],
        "parents_know": "yes",
    }


def api(default: int, **overrides: int) -> dict[str, int]:
    return answers(default, **{"anonymous": 401, **overrides})


def child(w, inside: bool) -> int:
    return (w.inside if inside else w.abroad).pk


OPEN = answers(200, anonymous=200)
# As on the pages: the roles that see children list them and open those in their scope.
SEE_CHILDREN = {EDU: 200, LEAD: 200, HELP: 200, CW: 200, SUP: 200}

EXPECTATIONS = {
    "api-v1:api-root": Expect(url("api-v1:api-root"), answers(404, anonymous=404)),
    "api-v1:openapi-json": Expect(url("api-v1:openapi-json"), OPEN),
    "api-v1:openapi-view": Expect(url("api-v1:openapi-view"), OPEN),
    "api-v1:concern_create": Expect(
        url("api-v1:concern_create"),
        api(403, **{EDU: 201, LEAD: 201, HELP: 201}),
        api(403, **{EDU: 404, LEAD: 404, HELP: 404}),
        method="post",
        data=new_concern,
        headers=bearer,
        json=True,
    ),
    "api-v1:concern_list": Expect(url("api-v1:concern_list"), api(200), headers=bearer),
    "api-v1:concern_detail": Expect(
        url("api-v1:concern_detail", concern_id=concern),
        api(404, **{EDU: 200, LEAD: 200, HELP: 200, SUP: 200}),
        api(404),
        headers=bearer,
    ),
    "api-v1:child_list": Expect(url("api-v1:child_list"), api(403, **SEE_CHILDREN), headers=bearer),
    "api-v1:child_detail": Expect(
        url("api-v1:child_detail", child_id=child),
        api(404, **SEE_CHILDREN),
        api(404),
        headers=bearer,
    ),
    # Who may change the child gets past the policy to the missing If-Match (428); who only
    # sees it, 403; the rest, 404.
    "api-v1:child_update": Expect(
        url("api-v1:child_update", child_id=child),
        api(404, **{EDU: 403, LEAD: 403, HELP: 428, CW: 428, SUP: 428}),
        api(404),
        method="patch",
        data=lambda w, inside: {"needs": "Glasses for reading."},
        headers=bearer,
        json=True,
    ),
}
