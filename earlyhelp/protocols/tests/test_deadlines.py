"""Deadlines across weekends, holidays, closing days and clock changes, country by country."""

from datetime import UTC, date, datetime, timedelta

import pytest

from earlyhelp.protocols.deadlines import deadlines_for, is_working_day, working_day_add
from earlyhelp.protocols.models import ClosingDay, MunicipalSetting
from earlyhelp.protocols.tests.clock import at

pytestmark = pytest.mark.django_db


def due(deadlines, code: str) -> datetime:
    return {d.code: d.due_at for d in deadlines}[code]


def codes(deadlines) -> list[str]:
    return [d.code for d in deadlines]


# --- Denmark ------------------------------------------------------------------------------------


def test_dk_acknowledgment_to_a_professional_skips_the_easter_holidays(shipped, place):
    # Received on the Wednesday before Easter 2026: Maundy Thursday, Good Friday and Easter
    # Monday are no working days, so the six working days are 7, 8, 9, 10, 13 and 14 April.
    deadlines = deadlines_for(
        profile=shipped("DK"),
        municipality=place("DK"),
        received_at=at("2026-04-01 10:00"),
        reporter_kind="professional",
    )
    assert codes(deadlines) == ["danger_assessment", "acknowledgement"]
    assert due(deadlines, "danger_assessment") == at("2026-04-02 10:00")
    assert due(deadlines, "acknowledgement") == at("2026-04-14 23:59:59")
    acknowledgement = deadlines[1]
    assert acknowledgement.basis == "6 working days (Barnets Lov)"
    assert acknowledgement.label == "Acknowledge receipt to the professional notifier"


def test_dk_a_private_notifier_gets_the_danger_assessment_but_no_acknowledgment(shipped, place):
    deadlines = deadlines_for(
        profile=shipped("DK"),
        municipality=place("DK"),
        received_at=at("2026-04-01 10:00"),
        reporter_kind="citizen",
        reporter_requested_feedback=True,
    )
    assert codes(deadlines) == ["danger_assessment"]
    assert deadlines[0].basis == "24 hours (Barnets Lov)"


def test_a_concern_received_on_friday_evening_counts_from_monday(shipped):
    # The day of receipt never counts: day 1 is the next working day.
    deadlines = deadlines_for(
        profile=shipped("DK"),
        municipality=None,
        received_at=at("2026-03-06 19:00"),
        reporter_kind="professional",
    )
    assert due(deadlines, "acknowledgement") == at("2026-03-16 23:59:59")


def test_hours_are_elapsed_time_across_the_spring_clock_change(shipped):
    # 28 March 2026 12:00 CET; the clocks go forward that night: 24 hours later is 13:00 CEST.
    deadlines = deadlines_for(
        profile=shipped("DK"),
        municipality=None,
        received_at=at("2026-03-28 12:00"),
        reporter_kind="citizen",
    )
    assessment = due(deadlines, "danger_assessment")
    assert assessment == at("2026-03-29 13:00")
    assert assessment.utcoffset() == timedelta(hours=2)
    # (Subtracting two datetimes of one zone gives wall-clock time; compare in UTC.)
    elapsed = assessment.astimezone(UTC) - at("2026-03-28 12:00").astimezone(UTC)
    assert elapsed == timedelta(hours=24)


def test_hours_are_elapsed_time_across_the_autumn_clock_change(shipped):
    deadlines = deadlines_for(
        profile=shipped("DK"),
        municipality=None,
        received_at=at("2026-10-24 12:00"),
        reporter_kind="citizen",
    )
    assessment = due(deadlines, "danger_assessment")
    assert assessment == at("2026-10-25 11:00")
    assert assessment.utcoffset() == timedelta(hours=1)


# --- Hungary ------------------------------------------------------------------------------------


def test_hu_knows_the_transferred_working_saturday_and_the_day_off_it_pays_for():
    assert is_working_day(date(2026, 1, 10), country="HU")  # a Saturday worked
    assert not is_working_day(date(2026, 1, 2), country="HU")  # the Friday off in exchange
    assert not is_working_day(date(2026, 8, 21), country="HU")  # the bridge day off
    assert is_working_day(date(2026, 8, 8), country="HU")  # the Saturday worked for it
    assert not is_working_day(date(2026, 1, 10), country="DK")  # only Hungary works that day


def test_hu_a_working_saturday_is_a_working_day_of_a_deadline():
    assert working_day_add(at("2026-01-09 15:00"), 1, country="HU") == at("2026-01-10 23:59:59")
    assert working_day_add(at("2026-01-09 15:00"), 1, country="CZ") == at("2026-01-12 23:59:59")


def test_hu_acting_over_new_year_skips_the_holiday_and_the_day_off(shipped, place):
    deadlines = deadlines_for(
        profile=shipped("HU"),
        municipality=place("HU"),
        received_at=at("2025-12-31 10:00"),
        reporter_kind="professional",
    )
    assert due(deadlines, "acting") == at("2026-01-06 23:59:59")
    assert deadlines[0].basis == "2 working days (municipal setting, earlyhelp default)"


def test_hu_acting_over_the_august_bridge_day(shipped, place):
    # 20 August is a holiday, 21 August 2026 a bridge day off, then the weekend.
    deadlines = deadlines_for(
        profile=shipped("HU"),
        municipality=place("HU"),
        received_at=at("2026-08-19 10:00"),
        reporter_kind="professional",
    )
    assert codes(deadlines) == ["acting", "feedback"]
    assert due(deadlines, "acting") == at("2026-08-25 23:59:59")
    assert due(deadlines, "feedback") == at("2026-09-04 23:59:59")


def test_hu_an_oral_urgent_signal_gets_the_written_follow_up_reminder(shipped, place):
    municipality = place("HU")
    written = deadlines_for(
        profile=shipped("HU"),
        municipality=municipality,
        received_at=at("2026-08-19 10:00"),
        reporter_kind="professional",
        immediate_danger=True,
    )
    assert "written_follow_up" not in codes(written)
    professional = deadlines_for(
        profile=shipped("HU"),
        municipality=municipality,
        received_at=at("2026-08-19 10:00"),
        reporter_kind="professional",
        immediate_danger=True,
        oral_signal=True,
    )
    assert codes(professional) == ["urgent_acting", "written_follow_up", "acting", "feedback"]
    assert due(professional, "urgent_acting") == at("2026-08-20 10:00")
    assert due(professional, "written_follow_up") == at("2026-08-24 23:59:59")
    citizen = deadlines_for(
        profile=shipped("HU"),
        municipality=municipality,
        received_at=at("2026-08-19 10:00"),
        reporter_kind="citizen",
        immediate_danger=True,
        oral_signal=True,
    )
    assert "written_follow_up" not in codes(citizen)


def test_hu_version_1_keeps_its_rule_for_concerns_received_under_it(place):
    from earlyhelp.protocols.models import Profile

    v1 = Profile.objects.get(key="HU", version=1)
    due_v1 = deadlines_for(
        profile=v1,
        municipality=place("HU"),
        received_at=at("2026-08-19 10:00"),
        reporter_kind="professional",
        immediate_danger=True,
    )
    assert "written_follow_up" in codes(due_v1)


def test_a_municipal_setting_replaces_earlyhelps_default(shipped, place):
    municipality = place("HU")
    MunicipalSetting.objects.create(
        municipality=municipality, key=MunicipalSetting.Key.ACTING_WORKING_DAYS, value=5
    )
    deadlines = deadlines_for(
        profile=shipped("HU"),
        municipality=municipality,
        received_at=at("2026-06-08 10:00"),
        reporter_kind="professional",
    )
    acting = deadlines[0]
    assert (acting.code, acting.due_at) == ("acting", at("2026-06-15 23:59:59"))
    assert acting.basis == "5 working days (municipal setting)"


def test_a_municipalitys_closing_day_moves_its_deadlines_and_no_one_elses(shipped, place):
    closed, other = place("HU"), place("HU")
    ClosingDay.objects.create(municipality=closed, date=date(2026, 6, 15), reason="Town day")
    received = at("2026-06-12 10:00")  # a Friday

    def acting(municipality):
        return due(
            deadlines_for(
                profile=shipped("HU"),
                municipality=municipality,
                received_at=received,
                reporter_kind="professional",
            ),
            "acting",
        )

    assert acting(other) == at("2026-06-16 23:59:59")
    assert acting(closed) == at("2026-06-17 23:59:59")
    assert not is_working_day(date(2026, 6, 15), country="HU", municipality=closed)
    assert is_working_day(date(2026, 6, 15), country="HU", municipality=other)


# --- Czech Republic -----------------------------------------------------------------------------


def test_cz_thirty_days_are_calendar_days_and_only_on_request(shipped, place):
    municipality = place("CZ")
    asked = deadlines_for(
        profile=shipped("CZ"),
        municipality=municipality,
        received_at=at("2026-11-27 10:00"),
        reporter_kind="professional",
        reporter_requested_feedback=True,
    )
    # 30 days after 27 November is Sunday 27 December, after the Christmas holidays: the
    # period is not moved to a working day, so the date shown is never later than the law's.
    assert due(asked, "feedback_whether_at_risk") == at("2026-12-27 23:59:59")
    feedback = next(d for d in asked if d.code == "feedback_whether_at_risk")
    assert feedback.basis == "30 days (zákon 359/1999 Sb. § 10(4))"
    not_asked = deadlines_for(
        profile=shipped("CZ"),
        municipality=municipality,
        received_at=at("2026-11-27 10:00"),
        reporter_kind="professional",
    )
    assert codes(not_asked) == ["acting"]


def test_cz_acting_skips_christmas(shipped, place):
    deadlines = deadlines_for(
        profile=shipped("CZ"),
        municipality=place("CZ"),
        received_at=at("2026-12-23 10:00"),
        reporter_kind="professional",
    )
    assert due(deadlines, "acting") == at("2026-12-29 23:59:59")
    assert "without undue delay" in deadlines[0].basis


# --- Generic and bad input ----------------------------------------------------------------------


def test_generic_without_a_place_counts_monday_to_friday(shipped):
    deadlines = deadlines_for(
        profile=shipped("GENERIC"),
        municipality=None,
        received_at=at("2026-12-23 10:00"),
        reporter_kind="professional",
    )
    assert due(deadlines, "acting") == at("2026-12-25 23:59:59")


def test_naive_datetimes_and_unknown_reporters_are_refused(shipped):
    with pytest.raises(ValueError, match="timezone-aware"):
        working_day_add(datetime(2026, 4, 1, 10), 1, country="DK")
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines_for(
            profile=shipped("DK"),
            municipality=None,
            received_at=datetime(2026, 4, 1, 10),
            reporter_kind="professional",
        )
    with pytest.raises(ValueError, match="reporter kind"):
        deadlines_for(
            profile=shipped("DK"),
            municipality=None,
            received_at=at("2026-04-01 10:00"),
            reporter_kind="police",
        )
    with pytest.raises(ValueError):
        working_day_add(at("2026-04-01 10:00"), 0, country="DK")
