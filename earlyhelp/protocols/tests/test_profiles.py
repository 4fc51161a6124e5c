"""Which profile applies, what it says about reporters, and how versions succeed each other."""

import copy

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.organisations.models import Jurisdiction
from earlyhelp.protocols.models import MunicipalSetting, Profile
from earlyhelp.protocols.services import (
    absence_thresholds,
    anonymous_allowed,
    authority_name,
    emergency_number,
    feedback_allowed,
    identity_confidential,
    oral_allowed_when_urgent,
    profile_draft_next_version,
    profile_for,
    profile_publish,
    written_signal_required,
)
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def test_each_country_gets_its_own_profile(place):
    for code, version in (("HU", 5), ("CZ", 4), ("DK", 4)):
        profile = profile_for(place(code))
        assert (profile.key, profile.version) == (code, version)
        assert profile.jurisdiction.code == code
        assert profile.is_published


def test_a_place_without_a_profile_falls_back_to_the_generic_one(db):
    elsewhere = Jurisdiction.objects.create(code="SK", name="Slovakia", default_language="en")
    profile = profile_for(f.MunicipalityFactory(jurisdiction=elsewhere))
    assert profile.key == Profile.Key.GENERIC
    assert profile.jurisdiction is None


def test_a_new_version_becomes_current_and_the_old_row_stays_as_it_was(shipped, place):
    municipality = place("DK")
    old = shipped("DK")
    received_under = profile_for(municipality)  # what a concern keeps a foreign key to
    draft = profile_draft_next_version(profile=old)
    assert (draft.version, draft.is_published) == (5, False)
    assert profile_for(municipality) == old  # a draft is not in force
    draft.rules = copy.deepcopy(draft.rules)
    draft.rules["deadlines"][1]["amount"] = 5
    draft.save()
    profile_publish(profile=draft)

    assert profile_for(municipality) == draft
    received_under.refresh_from_db()
    assert received_under.version == 4
    assert received_under.rules["deadlines"][1]["amount"] == 6


def test_a_published_version_cannot_be_changed(shipped):
    published = shipped("CZ")
    published.name = "Edited"
    with pytest.raises(ValidationError):
        published.save()
    assert Profile.objects.get(pk=published.pk).name != "Edited"


def test_a_draft_older_than_the_published_version_is_refused(shipped):
    stale = Profile(key="HU", version=1, name="Stale", rules=shipped("HU").rules)
    with pytest.raises(ValidationError) as error:
        stale.full_clean()
    assert "version" in error.value.message_dict


def test_rules_that_deadlines_could_not_follow_are_refused(shipped):
    rules = copy.deepcopy(shipped("GENERIC").rules)
    rules["deadlines"].append({"code": "acting", "label": "Again", "unit": "weeks"})
    rules["settings"]["no_such_setting"] = 3
    del rules["authority"]
    draft = Profile(key="GENERIC", version=7, name="Broken", rules=rules)
    with pytest.raises(ValidationError) as error:
        draft.full_clean()
    problems = " ".join(error.value.message_dict["rules"])
    assert "authority" in problems
    assert "settings" in problems
    assert "appears twice" in problems


def test_publishing_checks_the_rules_first(shipped):
    draft = profile_draft_next_version(profile=shipped("GENERIC"))
    Profile.objects.filter(pk=draft.pk).update(rules={"deadlines": "soon"})
    with pytest.raises(ValidationError):
        profile_publish(profile=draft)
    draft.refresh_from_db()
    assert not draft.is_published


def test_denmark_professionals_are_named_citizens_may_be_anonymous(shipped):
    dk = shipped("DK")
    assert not anonymous_allowed(dk, "professional")
    assert anonymous_allowed(dk, "citizen")
    assert feedback_allowed(dk, "professional") == "acknowledgement_and_outcome_type"
    assert feedback_allowed(dk, "citizen") == "none"
    assert written_signal_required(dk, "professional")
    assert authority_name(dk) == "Socialforvaltningen"


def test_czech_reporters_learn_on_request_whether_the_child_was_at_risk(shipped):
    cz = shipped("CZ")
    assert feedback_allowed(cz, "professional") == "whether_at_risk_on_request"
    assert authority_name(cz) == "OSPOD"
    assert emergency_number(cz) == "112"


def test_hungarian_signals_are_written_named_and_sometimes_confidential(shipped):
    hu = shipped("HU")
    assert not anonymous_allowed(hu, "professional")
    assert written_signal_required(hu, "professional")
    assert oral_allowed_when_urgent(hu, "professional")
    assert identity_confidential(hu, serious_neglect_or_abuse=True)
    assert not identity_confidential(hu, serious_neglect_or_abuse=False)
    assert absence_thresholds(hu) == {"school_hours": 10, "kindergarten_days": 5}
    assert feedback_allowed(hu, "professional") == "municipal"
    assert "gyámhatóság" in authority_name(hu)


def test_unknown_reporter_kinds_get_the_most_careful_answer(shipped):
    dk = shipped("DK")
    assert not anonymous_allowed(dk, "police")
    assert feedback_allowed(dk, "police") == "none"
    assert not identity_confidential(dk, serious_neglect_or_abuse=True)
    assert absence_thresholds(dk) == {}


def test_a_municipal_setting_must_be_one_its_profile_uses(place):
    setting = MunicipalSetting(
        municipality=place("DK"), key=MunicipalSetting.Key.ACTING_WORKING_DAYS, value=3
    )
    with pytest.raises(ValidationError) as error:
        setting.full_clean()
    assert "key" in error.value.message_dict
    MunicipalSetting(
        municipality=place("HU"), key=MunicipalSetting.Key.ACTING_WORKING_DAYS, value=3
    ).full_clean()
