"""The programme page: who sees it, what it shows (never a person), small cells hidden for
analysts, "Compute now", a constant number of queries; and the one chart code path."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from earlyhelp.core.charts import LineSeries, line_chart
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.aggregates import Computation
from earlyhelp.programmes.figures import rebuild
from earlyhelp.programmes.models import Indicator, Partner, TargetGroup
from earlyhelp.programmes.tests import builders as b

U = Indicator.Unit


@pytest.fixture
def prog(world):
    made = b.programme(world, lead=None, starts_on=date(2024, 1, 1), ends_on=date(2030, 12, 31))
    Partner.objects.create(programme=made, name="Rodinné centrum", role="implementing")
    made.institutions.add(world.school_a1)
    return made


def _work(world, prog, children=3):
    act = b.activity(world, prog)
    kids = [
        b.child(world, given_name=f"Zsófia{i}", family_name="Pálinkás") for i in range(children)
    ]
    b.meeting(act, date(2024, 3, 10), present=[b.participant(act, child=k) for k in kids])
    b.indicator(
        prog, U.CHILDREN, target=20, name="Children reached", target_date=date(2030, 12, 31)
    )
    b.indicator(prog, U.MEETINGS, target=1000, name="Meetings")
    TargetGroup.objects.create(programme=prog, name="Everyone", target_share=Decimal(75))
    rebuild([prog.pk], today=date(2024, 6, 30))
    return kids


def test_the_manager_sees_exact_figures_and_no_person(world, prog, signed_in):
    _work(world, prog)
    client = signed_in(world.users[Role.MANAGER])
    response = client.get(reverse("programmes:detail", args=[prog.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Children reached" in html
    assert "Rodinné centrum" in html
    assert "A1 Általános Iskola" in html
    assert "Pálinkás" not in html and "Zsófia" not in html
    assert "distinct children reached in any way during the period: 3 of 20" in html
    assert "On course" in html  # 3 in half a year: 42 by the target date
    assert "Will miss the target at the current pace" in html  # 1 meeting of 1000
    assert 'role="img"' in html
    assert "Compute now" in html


def test_an_analyst_reads_small_counts_as_less_than_five(world, prog, signed_in):
    _work(world, prog)
    client = signed_in(world.users[Role.ANALYST])
    html = client.get(reverse("programmes:detail", args=[prog.pk])).content.decode()
    assert "&lt;5" in html
    assert "3 of 20" not in html
    assert "Compute now" not in html
    # The share of a suppressed count is not shown either.
    assert "100 %" not in html


def test_outside_the_municipality_the_programme_does_not_exist(world, signed_in):
    outside = b.programme(world, municipality=world.municipality_b, lead=None)
    client = signed_in(world.users[Role.MANAGER])
    assert client.get(reverse("programmes:detail", args=[outside.pk])).status_code == 404
    assert client.post(reverse("programmes:compute", args=[outside.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.EDUCATOR, Role.SOCIAL_HELPER, Role.CASE_WORKER])
def test_the_people_doing_the_work_do_not_read_the_page(world, prog, signed_in, role):
    client = signed_in(world.users[role])
    assert client.get(reverse("programmes:detail", args=[prog.pk])).status_code == 404


def test_an_analyst_may_not_compute(world, prog, signed_in):
    client = signed_in(world.users[Role.ANALYST])
    assert client.post(reverse("programmes:compute", args=[prog.pk])).status_code == 403
    assert not Computation.objects.filter(programme=prog).exists()


def test_compute_now_rebuilds_and_comes_back(world, prog, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("programmes:compute", args=[prog.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:detail", args=[prog.pk])
    assert Computation.objects.filter(programme=prog).exists()


def test_the_lead_reads_it_even_without_a_reading_role(world, prog, signed_in):
    prog.lead = world.users[Role.SUPERVISOR]
    prog.save()
    client = signed_in(world.users[Role.SUPERVISOR])
    assert client.get(reverse("programmes:detail", args=[prog.pk])).status_code == 200


def test_the_page_costs_the_same_queries_whatever_the_data(
    world, prog, signed_in, django_assert_max_num_queries
):
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("programmes:detail", args=[prog.pk])
    _work(world, prog, children=2)
    client.get(url)
    cache.clear()  # the figures drawn afresh, not read as kept
    with django_assert_max_num_queries(24) as small:
        client.get(url)
    for _ in range(3):
        b.indicator(prog, U.ATTENDANCES, target=50)
    _work(world, prog, children=12)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_chart_writes_coordinates_with_a_decimal_point_in_every_language():
    series = [
        (date(2024, 1, 31), Decimal("1.5")),
        (date(2024, 2, 29), Decimal("2.25")),
        (date(2024, 3, 31), Decimal("1234.75")),
    ]
    with translation.override("hu"):
        chart = line_chart(
            title="Órák",
            series=[
                LineSeries("Érték", series),
                LineSeries("Előrejelzés", series[-1:], dashed=True),
            ],
            target=Decimal("2500.5"),
            target_date=date(2024, 12, 31),
        )
        html = render_to_string("components/line_chart.html", {"chart": chart})
    coordinates = re.findall(r'\b(?:x1|x2|y1|y2|cx|cy|x|y|points|viewBox|dx|dy)="([^"]*)"', html)
    assert coordinates
    assert not [c for c in coordinates if "," in c and not re.fullmatch(r"[\d. ,-]+", c)]
    for c in coordinates:
        for pair in c.split():
            assert pair.count(",") <= 1  # only the x,y separator of a polyline point
            for part in pair.split(","):
                float(part)  # a decimal point, never a decimal comma
    assert "234,7" in html  # the table, text for the reader, is localised
    assert 'role="img"' in html and "<title" in html and "<table" in html


def test_a_single_point_is_visible():
    chart = line_chart(title="One", series=[LineSeries("Value", [(date(2024, 1, 31), 3)])])
    html = render_to_string("components/line_chart.html", {"chart": chart})
    assert "<circle" in html
    assert chart.lines[0].dots[0].cx == "340.0"  # in the middle of the plot


def test_the_page_says_how_many_reached_have_no_known_residence(world, prog, signed_in):
    from earlyhelp.programmes.models import ActionArea

    area = ActionArea.objects.create(municipality=world.municipality_a, name="Palotaváros")
    district = b.f.DistrictFactory(municipality=world.municipality_a)
    area.districts.add(district)
    TargetGroup.objects.create(
        programme=prog, name="From the action area", area="inside", action_area=area
    )
    act = b.activity(world, prog)
    kids = [b.child(world, home_district=district) for _ in range(6)]
    kids += [b.child(world) for _ in range(7)]
    b.meeting(act, date(2024, 3, 10), present=[b.participant(act, child=k) for k in kids])
    rebuild([prog.pk], today=date(2024, 6, 30))
    client = signed_in(world.users[Role.MANAGER])
    html = client.get(reverse("programmes:detail", args=[prog.pk])).content.decode()
    assert "of whom 7 with no known residence" in html


def test_an_analyst_sees_what_a_funders_report_would(world, prog, signed_in, monkeypatch):
    from earlyhelp.programmes import figures as figures_module
    from earlyhelp.programmes.figures import IndicatorFigure, ProgrammeFigures, ShareFigure

    group = TargetGroup.objects.create(programme=prog, name="Roma families")
    children = b.indicator(prog, U.CHILDREN, target=90, name="Roma children", target_group=group)
    households = b.indicator(prog, U.HOUSEHOLDS, target=4, name="Households")

    def made(programme, **_kwargs):
        def figure(indicator, value, **extra):
            return IndicatorFigure(
                indicator, "", Decimal(value), indicator.target_value, indicator.target_date,
                False, **extra,
            )  # fmt: skip

        return ProgrammeFigures(
            programme=programme, starts=programme.starts_on, ends=programme.ends_on,
            indicators=[figure(children, 97, met=True), figure(households, 2)],
            shares=[ShareFigure(group, 97, 100, Decimal("97"), None, "at_least", None)],
            activities=[], outcomes=[], case_outcomes=[], computed_at=None,
        )  # fmt: skip

    monkeypatch.setattr(figures_module, "programme_figures", made)
    response = signed_in(world.users[Role.ANALYST]).get(
        reverse("programmes:detail", args=[prog.pk])
    )
    (share,) = response.context["shares"]
    # 3 others reached are hidden, so the 97 that would reveal them; 100 reached is shown.
    assert (share["people"], share["reached"], share["share"]) == ("*", "100", "*")
    rows = response.context["indicators"]
    assert [row.value for row in rows] == ["*", "<5"]  # the households too, as the report
    assert rows[0].status == "Not shown: too few to show"
    assert "Counts of people, cases and outcomes from 1 to 4" in response.content.decode()
    # The manager reads the exact figures.
    response = signed_in(world.users[Role.MANAGER]).get(
        reverse("programmes:detail", args=[prog.pk])
    )
    assert [row.value for row in response.context["indicators"]] == ["97", "2"]


# --- The figures are drawn once and kept -----------------------------------------------------


def test_kept_figures_are_drawn_again_when_computed_renamed_or_read_another_way(
    world, prog, signed_in
):
    _work(world, prog)
    page = reverse("programmes:detail", args=[prog.pk])
    manager = signed_in(world.users[Role.MANAGER])
    assert "3 of 20" in manager.get(page).content.decode()
    kept = manager.get(page)
    assert "3 of 20" in kept.content.decode()
    assert "indicators" not in kept.context  # drawn once, then read as it was kept
    # More work, computed again: drawn again.
    more = b.activity(world, prog)
    others = [b.child(world, given_name=f"Kata{i}", family_name="Vörös") for i in range(2)]
    b.meeting(more, date(2024, 4, 2), present=[b.participant(more, child=k) for k in others])
    rebuild([prog.pk], today=date(2024, 6, 30))
    assert "5 of 20" in manager.get(page).content.decode()
    # An indicator renamed (nothing computed again): the new name at once.
    indicator = prog.indicators.get(name="Children reached")
    from earlyhelp.core.versioning import update_versioned

    update_versioned(indicator, expected_version=indicator.version, fields={"name": "Kids met"})
    html = manager.get(page).content.decode()
    assert "Kids met" in html and "Children reached" not in html
    # Each language drawn in its own.
    manager.cookies[settings.LANGUAGE_COOKIE_NAME] = "hu"
    hungarian = manager.get(page).content.decode()
    assert "Kids met" in hungarian and "Indikátorok" in hungarian


def test_an_analyst_never_reads_what_was_drawn_for_the_manager(world, prog, signed_in):
    act = b.activity(world, prog)
    kids = [b.child(world, given_name=f"Emil{i}", family_name="Dvořák") for i in range(3)]
    b.meeting(act, date(2024, 3, 10), present=[b.participant(act, child=k) for k in kids])
    b.indicator(prog, U.CHILDREN, target=20, name="Children reached")
    rebuild([prog.pk], today=date(2024, 6, 30))
    page = reverse("programmes:detail", args=[prog.pk])
    exact = signed_in(world.users[Role.MANAGER]).get(page)
    assert [row.value for row in exact.context["indicators"]] == ["3"]
    hidden = signed_in(world.users[Role.ANALYST]).get(page)
    assert [row.value for row in hidden.context["indicators"]] == ["<5"]
    assert "3 of 20" not in hidden.content.decode()
    # And the manager, coming back, reads the exact figures kept for managers.
    again = signed_in(world.users[Role.MANAGER]).get(page).content.decode()
    assert "3 of 20" in again
