"""Reading a jurisdiction profile: which version applies, and what it says about reporters."""

from __future__ import annotations

from django.utils.translation import gettext

from earlyhelp.protocols.models import Feedback, Profile


def profile_for(municipality) -> Profile:
    """The current profile of the municipality: the highest published version for its
    jurisdiction's code, else the highest published generic version."""
    published = Profile.objects.published().order_by("-version")
    profile = (
        published.filter(key=municipality.jurisdiction.code).first()
        or published.filter(key=Profile.Key.GENERIC).first()
    )
    if profile is None:
        raise Profile.DoesNotExist("No published profile, not even the generic one.")
    return profile


def _reporter(profile: Profile, reporter_kind: str) -> dict:
    return profile.rules.get("reporters", {}).get(reporter_kind, {})


def anonymous_allowed(profile: Profile, reporter_kind: str) -> bool:
    """May this kind of reporter stay anonymous? Unknown kinds may not."""
    return _reporter(profile, reporter_kind).get("anonymous_allowed", False) is True


def feedback_allowed(profile: Profile, reporter_kind: str) -> str:
    """What the reporter may be told afterwards: a `Feedback` code ("none" for unknown kinds)."""
    return _reporter(profile, reporter_kind).get("feedback", Feedback.NONE)


def written_signal_required(profile: Profile, reporter_kind: str) -> bool:
    """Must this kind of reporter report in writing (an urgent signal may first be oral where
    `oral_allowed_when_urgent`, HU)?"""
    return _reporter(profile, reporter_kind).get("written_required", False) is True


def oral_allowed_when_urgent(profile: Profile, reporter_kind: str) -> bool:
    return _reporter(profile, reporter_kind).get("oral_allowed_when_urgent", False) is True


def identity_confidential(profile: Profile, *, serious_neglect_or_abuse: bool) -> bool:
    """HU: the reporter's identity is kept confidential when the signal suggests serious
    neglect or abuse."""
    when = profile.rules.get("identity_confidential_when", [])
    return serious_neglect_or_abuse and "serious_neglect_or_abuse" in when


def absence_thresholds(profile: Profile) -> dict[str, int]:
    """Unexcused absence that triggers a signal, e.g. {"school_hours": 10,
    "kindergarten_days": 5} (HU); empty where the profile sets none."""
    return dict(profile.rules.get("absence_signal", {}))


def authority_name(profile: Profile) -> str:
    """The statutory authority a concern may be referred to, in the country's own words."""
    return gettext(profile.rules["authority"])


def emergency_number(profile: Profile) -> str:
    return profile.rules.get("emergency_number", "112")


def wellbeing_agreement(profile: Profile) -> list[str]:
    """What a wellbeing conversation with a pupil needs first: "parent" (a parent's consent)
    and/or "school" (the school's agreement), recorded as the child's consents. A profile that
    says nothing asks for the parents' consent."""
    return list(profile.rules.get("wellbeing_agreement", ["parent"]))
