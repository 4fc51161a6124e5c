"""Who may reach the programmes' pages. Each helper's pages keep their own block below."""

from earlyhelp.tests.matrix import MGR, Expect, answers, url

EXPECTATIONS = {}

# --- A new programme from a shipped template (views/templates.py): the managers, who run
# programmes, set one up; nobody else may. Municipality A is Hungarian. ---
EXPECTATIONS.update(
    {
        "programmes:from_template": Expect(
            url("programmes:from_template"), answers(403, **{MGR: 200})
        ),
    }
)
