"""The week grid: seven days from Monday, entries on their local day, the same markup for any
kind of entry."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from earlyhelp.core.weeks import monday_of, week_days

MONDAY = date(2026, 3, 2)


def entry(when: datetime, status: str = "planned") -> SimpleNamespace:
    """Enough of a contact meeting for contacts/_calendar_meeting.html."""
    lead = SimpleNamespace(get_full_name="Anna Kovács", get_username="anna")
    arrangement = SimpleNamespace(get_absolute_url="/contacts/1/", child="Kis Péter")
    return SimpleNamespace(
        starts_at=when, ends_at=when, status=status, get_status_display=status.title(),
        room="Room 2", lead=lead, arrangement=arrangement,
    )  # fmt: skip


def test_a_week_has_seven_days_from_monday_with_entries_on_their_local_day(settings):
    settings.TIME_ZONE = "Europe/Budapest"
    late = entry(datetime(2026, 3, 3, 23, 30, tzinfo=UTC))  # already Wednesday in Budapest
    early = entry(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    days = week_days(MONDAY, [early, late])
    assert list(days) == [date(2026, 3, d) for d in range(2, 9)]
    assert days[date(2026, 3, 2)] == [early]
    assert days[date(2026, 3, 4)] == [late]
    assert days[date(2026, 3, 3)] == []
    assert monday_of(date(2026, 3, 8)) == MONDAY


def test_the_grid_labels_each_day_and_says_when_nothing_is_planned():
    days = week_days(MONDAY, [entry(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "held")])
    with translation.override("en"):
        html = render_to_string(
            "components/week_grid.html",
            {
                "days": days,
                "today": date(2026, 3, 3),
                "entry_template": "contacts/_calendar_meeting.html",
            },
        )
    assert html.count('<section class="card week__day') == 7
    assert 'aria-labelledby="day-1"' in html and '<h2 id="day-7">Sunday' in html
    assert html.count("week__day--today") == 1
    assert html.count('<li class="week__item week__item--held">') == 1
    assert html.count("Nothing planned.") == 6
    assert '<a href="/contacts/1/">Kis Péter</a>' in html
