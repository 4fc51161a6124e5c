"""The screening instrument shipped with earlyhelp, worded in each language by its codes."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SHIPPED_INSTRUMENT = "wellbeing"
SHIPPED_NAMES = {SHIPPED_INSTRUMENT: _("Wellbeing in class (earlyhelp)")}

# Each item is rated green (no worry), amber (some worry) or red (serious worry).
SHIPPED_ITEMS = {
    "mood": _("Mood: seems content and at ease, no lasting sadness or fear"),
    "belonging": _("Belonging: has friends, is not left out or picked on"),
    "care": _("Basic care: fed, clean, rested and dressed for the weather"),
    "attendance": _("Attendance: comes regularly and on time"),
    "behaviour": _("Behaviour: copes with frustration, no sudden change"),
    "learning": _("Learning: can concentrate and keeps up for their age"),
    "safety": _("Safety: nothing said or seen suggests harm"),
}


def shipped_name(code: str) -> str:
    name = SHIPPED_NAMES.get(code)
    return gettext(name) if name else code


def shipped_item(code: str) -> str:
    text = SHIPPED_ITEMS.get(code)
    return gettext(text) if text else code
