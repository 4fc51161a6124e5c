"""The numbers to call when a child is in danger now, as each country runs its emergency
services: the general emergency number every jurisdiction keeps (`Jurisdiction.emergency_number`,
112 in all three) and the direct lines of the police and the ambulance where the country has
them. The report forms name them all as links a phone can call; ticking "immediate danger"
brings them to the top of the form.

- Czech Republic: 158 police, 155 ambulance (the integrated rescue system's national numbers).
- Hungary: 107 police, 104 ambulance.
- Denmark: 112 for both, and 114, the police's line for what is not urgent (a worry about a
  child that is not danger right now may still be told to the local police there).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GENERAL = "112"
POLICE, AMBULANCE, POLICE_NOT_URGENT = "police", "ambulance", "police_not_urgent"
LABELS = {
    POLICE: _("Police"),
    AMBULANCE: _("Ambulance"),
    POLICE_NOT_URGENT: _("Police, not urgent"),
}
DIRECT = {
    "CZ": ((POLICE, "158"), (AMBULANCE, "155")),
    "HU": ((POLICE, "107"), (AMBULANCE, "104")),
    "DK": ((POLICE_NOT_URGENT, "114"),),
}


@dataclass(frozen=True)
class Line:
    label: str
    number: str


def emergency_lines(jurisdiction) -> list[Line]:
    """The general emergency number first, then the country's direct lines (none known: 112)."""
    if jurisdiction is None:
        return [Line(_("Emergency"), GENERAL)]
    lines = [Line(_("Emergency"), jurisdiction.emergency_number or GENERAL)]
    lines += [Line(LABELS[kind], number) for kind, number in DIRECT.get(jurisdiction.code, ())]
    return lines
