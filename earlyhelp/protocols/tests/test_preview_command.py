"""`manage.py protocols preview`: what an operator sees before a profile goes live."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.protocols.models import ClosingDay, MunicipalSetting

pytestmark = pytest.mark.django_db


def preview(*args: str) -> str:
    out = StringIO()
    call_command("protocols", "preview", *args, stdout=out, no_color=True)
    return out.getvalue()


def test_the_preview_lists_every_deadline_with_its_rule():
    output = preview("dk", "2026-04-01T10:00")
    assert "Profile DK@4 (published)" in output
    assert "Authority: Socialforvaltningen" in output
    assert (
        "acknowledgement    Tue 2026-04-14 23:59:59 CEST  Acknowledge receipt to the "
        "professional notifier · 6 working days (Barnets Lov)"
    ) in output
    assert "danger_assessment  Thu 2026-04-02 10:00:00 CEST" in output
    assert "Reporter: citizen · anonymous allowed: yes · feedback: none" in output


def test_conditional_deadlines_say_when_they_apply():
    output = preview("CZ@1", "2026-11-27T10:00+01:00", "--reporter", "professional")
    assert "Reporter: citizen" not in output
    assert "feedback_whether_at_risk  Sun 2026-12-27 23:59:59 CET" in output
    assert "[only if the reporter asks for feedback]" in output
    assert "urgent_acting" in output and "[only if the child may be in immediate danger]" in output


def test_a_municipality_brings_its_settings_and_closing_days(place):
    municipality = place("HU")
    MunicipalSetting.objects.create(municipality=municipality, key="acting_working_days", value=3)
    ClosingDay.objects.create(municipality=municipality, date="2026-06-15", reason="Town day")
    output = preview("HU", "2026-06-12T10:00", "--municipality", municipality.code)
    assert f"{municipality.name} ({municipality.code})" in output
    assert (
        "acting             Thu 2026-06-18 23:59:59 CEST  "
        "Act on the concern · 3 working days (municipal setting)" in output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("XX", "2026-04-01T10:00"),
            "No profile 'XX'. Known profiles: CZ@1, CZ@2, CZ@3, CZ@4, DK@1, DK@2, DK@3, DK@4, "
            "GENERIC@1, GENERIC@2, GENERIC@3, GENERIC@4, HU@1",
        ),
        (("DK@9", "2026-04-01T10:00"), "No profile 'DK@9'"),
        (("DK@one", "2026-04-01T10:00"), "not a version number"),
        (("DK", "yesterday"), "'yesterday' is not an ISO 8601 date and time"),
        (("DK", "2026-04-01T10:00", "--municipality", "atlantis"), "No municipality"),
    ],
)
def test_bad_input_gets_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        preview(*args)


ZONES = ["Europe/Budapest", "Europe/Prague", "Europe/Copenhagen"]


@pytest.mark.parametrize("zone", ZONES)
def test_a_local_time_skipped_by_summer_time_is_refused(settings, zone):
    settings.TIME_ZONE = zone
    with pytest.raises(CommandError) as refused:
        preview("DK", "2026-03-29T02:30")
    message = str(refused.value)
    assert message == (
        "02:30 does not exist on 2026-03-29 in local time: the clocks go forward an hour that "
        "night. Give the time the clock showed, e.g. 2026-03-29T03:30."
    )
    assert zone not in message


@pytest.mark.parametrize("zone", ZONES)
def test_a_local_time_that_happens_twice_asks_which_one(settings, zone):
    settings.TIME_ZONE = zone
    with pytest.raises(CommandError) as refused:
        preview("DK", "2026-10-25T02:30")
    message = str(refused.value)
    assert message == (
        "02:30 happens twice on the night of 2026-10-25: the clocks go back an hour. Say which "
        "one is meant: --repeated-hour first (summer time, 2026-10-25T02:30+02:00) or "
        "--repeated-hour second (winter time, 2026-10-25T02:30+01:00)."
    )
    assert zone not in message


@pytest.mark.parametrize("zone", ZONES)
def test_the_operator_says_which_of_the_two_times(settings, zone):
    settings.TIME_ZONE = zone
    first = preview("DK", "2026-10-25T02:30", "--repeated-hour", "first")
    second = preview("DK", "2026-10-25T02:30", "--repeated-hour", "second")
    assert "Received: Sun 2026-10-25 02:30:00 CEST" in first
    assert "Received: Sun 2026-10-25 02:30:00 CET" in second
    # 24 elapsed hours: the second 02:30 is an hour later than the first.
    assert "danger_assessment  Mon 2026-10-26 01:30:00 CET" in first
    assert "danger_assessment  Mon 2026-10-26 02:30:00 CET" in second


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("DK", "0001-01-01T00:00"), "'0001-01-01T00:00' is out of range: give a date from"),
        (("DK", "9999-12-31T23:59"), "is out of range"),
        (("DK", "9999-12-31T23:59-12:00"), "is out of range"),
        (("DK", "1850-01-01T10:00"), "is out of range"),
        (("DK", "2026-05-04T10:00", "--repeated-hour", "first"), "happens once"),
        (("DK", "2026-10-25T02:30+02:00", "--repeated-hour", "first"), "has an offset"),
    ],
)
def test_dates_far_out_and_needless_choices_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        preview(*args)
