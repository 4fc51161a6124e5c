"""Figures on concerns are computed from records; roles without access to concerns get them
with small cells suppressed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.concerns.figures import concern_figures, rebuild_figures
from earlyhelp.concerns.models import Concern, refresh_next_due
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _concern(world, school, *, hours_to_triage=None, overdue=False):
    received = timezone.now() - timedelta(days=3)
    concern = Concern.objects.create(
        municipality=school.municipality,
        institution=school,
        reporter=world.users[Role.EDUCATOR],
        status=Concern.Status.TRIAGED if hours_to_triage else Concern.Status.SUBMITTED,
        received_at=received,
        decided_at=received + timedelta(hours=hours_to_triage) if hours_to_triage else None,
        decision="advice" if hours_to_triage else "",
    )
    if overdue:
        concern.deadlines.create(code="acting", label="Acting", due_at=received + timedelta(days=1))
        refresh_next_due([concern.pk])
    return concern


def test_the_supervisor_sees_exact_figures_of_their_team(world):
    for hours in (2, 4, 30):
        _concern(world, world.school_a1, hours_to_triage=hours)
    _concern(world, world.school_a1, overdue=True)
    rebuild_figures()
    figures = concern_figures(user=world.users[Role.SUPERVISOR])
    assert dict(figures.by_status)["Triaged"] == "3"
    assert figures.overdue == "1"
    assert [(b.label, b.value) for b in figures.triage_hours] == [("A1 Általános Iskola", 4.0)]
    assert not figures.suppressed


def test_a_manager_gets_the_municipality_with_small_cells_suppressed(world, signed_in):
    for hours in (1, 2, 3):
        _concern(world, world.school_a1, hours_to_triage=hours)
    for _ in range(6):
        _concern(world, world.school_a2, overdue=True)
    rebuild_figures()
    figures = concern_figures(user=world.users[Role.MANAGER])
    assert figures.suppressed
    assert dict(figures.by_status)["Triaged"] == "<5"
    assert dict(figures.by_status)["Submitted"] == "6"
    assert figures.overdue == "6"
    assert [b.value for b in figures.triage_hours] == [None]  # only 3 triaged: too few
    page = signed_in(world.users[Role.MANAGER]).get(reverse("concerns:dashboard"))
    assert "&lt;5" in page.content.decode()
    assert "too few to show" in page.content.decode()


def test_figures_never_count_another_municipality(world):
    _concern(world, world.school_b1, hours_to_triage=5)
    rebuild_figures()
    figures = concern_figures(user=world.users[Role.MANAGER])
    assert all(count == "0" for _label, count in figures.by_status)


def test_the_page_says_when_the_figures_were_counted_and_a_rebuild_replaces_them(world, signed_in):
    page = signed_in(world.users[Role.SUPERVISOR]).get(reverse("concerns:dashboard"))
    assert "have not been counted yet" in page.content.decode()
    _concern(world, world.school_a1, hours_to_triage=2)
    rebuild_figures()
    figures = concern_figures(user=world.users[Role.SUPERVISOR])
    assert figures.computed_at is not None
    assert dict(figures.by_status)["Triaged"] == "1"
    Concern.objects.update(status=Concern.Status.CLOSED)
    rebuild_figures()
    figures = concern_figures(user=world.users[Role.SUPERVISOR])
    assert (dict(figures.by_status)["Triaged"], dict(figures.by_status)["Closed"]) == ("0", "1")
    page = signed_in(world.users[Role.SUPERVISOR]).get(reverse("concerns:dashboard"))
    assert "Counted from the records at" in page.content.decode()


def test_the_trend_counts_each_month_of_the_last_year(world, signed_in):
    for _ in range(6):
        _concern(world, world.school_a1, hours_to_triage=2)
    old = _concern(world, world.school_a1, hours_to_triage=3)
    long_ago = timezone.now() - timedelta(days=400)
    Concern.objects.filter(pk=old.pk).update(received_at=long_ago, decided_at=long_ago)
    rebuild_figures()
    for role in (Role.SUPERVISOR, Role.MANAGER):
        trend = concern_figures(user=world.users[role]).trend
        # Twelve months; the concern of last year is outside them.
        assert len(trend.rows) == 12
        assert [cells for _, cells in trend.rows if cells != ["0", "0"]] == [["6", "6"]]
        assert "Received" in trend.summary and "6" in trend.summary
    page = signed_in(world.users[Role.MANAGER]).get(reverse("concerns:dashboard"))
    assert "Concerns received and decided per month" in page.content.decode()


def test_a_month_below_five_is_hidden_from_a_manager_but_not_from_the_team(world):
    for _ in range(2):
        _concern(world, world.school_a1, hours_to_triage=2)
    rebuild_figures()
    manager = concern_figures(user=world.users[Role.MANAGER]).trend
    assert [cells for _, cells in manager.rows if cells != ["0", "0"]] == [["<5", "<5"]]
    supervisor = concern_figures(user=world.users[Role.SUPERVISOR]).trend
    assert [cells for _, cells in supervisor.rows if cells != ["0", "0"]] == [["2", "2"]]


def test_the_page_says_when_counted_in_the_readers_format_and_flags_old_figures(world, signed_in):
    from django.utils.formats import date_format

    from earlyhelp.concerns.models import InstitutionFigures

    _concern(world, world.school_a1, hours_to_triage=2)
    rebuild_figures()
    client = signed_in(world.users[Role.SUPERVISOR])
    url = reverse("concerns:dashboard")
    counted = InstitutionFigures.objects.get().computed_at
    page = client.get(url).content.decode()
    assert date_format(timezone.localtime(counted), "SHORT_DATETIME_FORMAT") in page
    assert "more than 10 minutes old" not in page
    # Nine minutes on, the 5-minute recount is merely late; past ten, the page says so.
    InstitutionFigures.objects.update(computed_at=timezone.now() - timedelta(minutes=9))
    assert "more than 10 minutes old" not in client.get(url).content.decode()
    InstitutionFigures.objects.update(computed_at=timezone.now() - timedelta(minutes=11))
    assert concern_figures(user=world.users[Role.SUPERVISOR]).stale
    assert "more than 10 minutes old" in client.get(url).content.decode()
