"""Who may open the roster import pages: the administrator of municipality A, for A; nobody
else. Inside: an import or a mapping of A; outside: of B."""

from datetime import date

from earlyhelp.imports.models import ColumnMapping, RosterImport
from earlyhelp.tests.matrix import ADM, Expect, answers, url
from earlyhelp.tests.personas import World


def roster(w: World, inside: bool) -> int:
    return RosterImport.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        created_by=(w.users if inside else w.outsiders)[ADM],
        file_name="roster.csv",
        mapping_name="earlyhelp",
        starts_on=date(2026, 9, 1),
        state=RosterImport.State.CHECKED,
        summary={"rows": 0},
    ).pk


def mapping(w: World, inside: bool) -> int:
    municipality = w.municipality_a if inside else w.municipality_b
    return ColumnMapping.objects.get_or_create(
        municipality=municipality, name="KRÉTA", defaults={"columns": {"group": "Osztály"}}
    )[0].pk


ADMIN = answers(403, **{ADM: 200})
ADMINS_OWN = answers(404, **{ADM: 200})
ADMINS_ACT = answers(404, **{ADM: 302})

EXPECTATIONS = {
    "imports:list": Expect(url("imports:list"), ADMIN),
    # An empty form: the administrator gets the page again with what to correct.
    "imports:new": Expect(url("imports:new"), answers(403, **{ADM: 400}), method="post"),
    "imports:template_csv": Expect(url("imports:template_csv"), ADMIN),
    "imports:template_xlsx": Expect(url("imports:template_xlsx"), ADMIN),
    "imports:mappings": Expect(url("imports:mappings"), ADMIN),
    "imports:mapping_new": Expect(url("imports:mapping_new"), ADMIN),
    "imports:mapping": Expect(
        url("imports:mapping", pk=mapping), ADMIN, answers(403, **{ADM: 404})
    ),
    "imports:detail": Expect(url("imports:detail", pk=roster), ADMINS_OWN, answers(404)),
    "imports:status": Expect(url("imports:status", pk=roster), ADMINS_OWN, answers(404)),
    "imports:report_csv": Expect(url("imports:report_csv", pk=roster), ADMINS_OWN, answers(404)),
    "imports:report_xlsx": Expect(url("imports:report_xlsx", pk=roster), ADMINS_OWN, answers(404)),
    "imports:decide": Expect(
        url("imports:decide", pk=roster), ADMINS_ACT, answers(404), method="post"
    ),
    "imports:apply": Expect(
        url("imports:apply", pk=roster), ADMINS_ACT, answers(404), method="post"
    ),
    "imports:discard": Expect(
        url("imports:discard", pk=roster), ADMINS_ACT, answers(404), method="post"
    ),
}
