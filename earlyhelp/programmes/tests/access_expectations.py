"""The access matrix of programmes' URL patterns (earlyhelp/tests/matrix.py)."""

from earlyhelp.tests.matrix import ANA, MGR, Expect, answers, url
from earlyhelp.tests.personas import World

# --- The figures page and the computation on demand (views/page.py; helper `figures`) ---


def _figures_programme(w: World, inside: bool) -> int:
    from earlyhelp.programmes.tests.builders import programme

    municipality = w.municipality_a if inside else w.municipality_b
    return programme(w, municipality=municipality, lead=None).pk


EXPECTATIONS = {
    "programmes:detail": Expect(
        url("programmes:detail", pk=_figures_programme),
        inside=answers(404, **{MGR: 200, ANA: 200}),
        outside=answers(404),
    ),
    "programmes:compute": Expect(
        url("programmes:compute", pk=_figures_programme),
        inside=answers(404, **{MGR: 302, ANA: 403}),
        outside=answers(404),
        method="post",
    ),
}
# --- end of the figures page's block ---
