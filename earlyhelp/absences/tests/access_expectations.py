"""Who may open the class register and excuse an absence: the educator of class 1.a and the
lead of school A1 (inside), or those of school B1 (outside)."""

from django.utils import timezone

from earlyhelp.absences.models import Absence
from earlyhelp.tests.matrix import EDU, HELP, LEAD, Expect, answers, url
from earlyhelp.tests.personas import World


def absence(w: World, inside: bool) -> int:
    school = w.school_a1 if inside else w.school_b1
    return Absence.objects.create(
        municipality=school.municipality,
        child=w.inside if inside else w.abroad,
        institution=school,
        date=timezone.localdate(),
        amount=2,
        unit="hours",
        recorded_by=(w.users if inside else w.outsiders)[EDU],
    ).pk


EXPECTATIONS = {
    "absences:list": Expect(url("absences:list"), answers(403, **{EDU: 200, LEAD: 200})),
    "absences:excuse": Expect(
        url("absences:excuse", pk=absence),
        answers(404, **{EDU: 302, LEAD: 302, HELP: 403}),
        answers(404),
        method="post",
        data=lambda w, i: {"version": 1},
    ),
}
