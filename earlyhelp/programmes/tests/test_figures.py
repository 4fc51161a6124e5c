"""The programme figures: each unit and role filter at the period's boundaries, one person
counted once across sources, target groups as shares of distinct people, the forecast."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from earlyhelp.organisations.models import Role
from earlyhelp.programmes import figures
from earlyhelp.programmes.aggregates import Engagement, IndicatorPoint
from earlyhelp.programmes.figures import indicator_value, programme_figures, rebuild
from earlyhelp.programmes.models import ActionArea, Indicator, Outcome, OutcomeCategory, TargetGroup
from earlyhelp.programmes.tests import builders as b

U = Indicator.Unit
R = Indicator.Role
TODAY = date(2021, 6, 30)


def value(ind, starts, ends):
    return indicator_value(ind, starts, ends)


@pytest.fixture
def prog(world):
    return b.programme(world)


def test_activity_participants_count_when_present_at_a_held_meeting(world, prog):
    act = b.activity(world, prog)
    present, absent, planned = b.child(world), b.child(world), b.child(world)
    p1, p2, p3 = (b.participant(act, child=c) for c in (present, absent, planned))
    b.meeting(act, date(2020, 3, 10), present=[p1], absent=[p2])
    b.meeting(act, date(2020, 3, 20), held=False, present=[p3])
    guest = b.participant(act, name="Guest")
    b.meeting(act, date(2020, 3, 12), present=[guest])
    staff = b.participant(act, staff=world.users[Role.EDUCATOR])
    b.meeting(act, date(2020, 4, 1), present=[staff, p1], minutes=90)
    rebuild([prog.pk], today=TODAY)
    kids = b.indicator(prog, U.CHILDREN, role=R.PARTICIPANT)
    assert value(kids, date(2020, 3, 10), date(2020, 3, 10)) == 1
    assert value(kids, date(2020, 3, 11), date(2020, 3, 31)) == 0  # between meetings
    assert value(kids, date(2020, 1, 1), date(2021, 12, 31)) == 1  # once, however often
    staff_ind = b.indicator(prog, U.STAFF)
    assert value(staff_ind, date(2020, 4, 1), date(2020, 4, 1)) == 1
    assert value(staff_ind, date(2020, 3, 1), date(2020, 3, 31)) == 0
    meetings = b.indicator(prog, U.MEETINGS)
    assert value(meetings, date(2020, 3, 10), date(2020, 4, 1)) == 3
    assert value(meetings, date(2020, 3, 11), date(2020, 3, 31)) == 1
    attendances = b.indicator(prog, U.ATTENDANCES)
    assert value(attendances, date(2020, 1, 1), date(2020, 12, 31)) == 4  # guest counts too
    hours = b.indicator(prog, U.HOURS, aggregation=Indicator.Aggregation.SUM)
    assert value(hours, date(2020, 1, 1), date(2020, 12, 31)) == Decimal("3.5")
    activities = b.indicator(prog, U.ACTIVITIES)
    assert value(activities, date(2020, 4, 2), date(2020, 12, 31)) == 0
    assert value(activities, date(2020, 4, 1), date(2020, 12, 31)) == 1


def test_work_not_linked_to_the_programme_does_not_count(world, prog):
    other = b.activity(world, None)
    b.meeting(other, date(2020, 3, 10), present=[b.participant(other, child=b.child(world))])
    b.case(world, None, opened=date(2020, 2, 1), children=[b.child(world)])
    rebuild([prog.pk], today=TODAY)
    assert value(b.indicator(prog, U.CHILDREN), date(2020, 1, 1), date(2021, 12, 31)) == 0
    assert value(b.indicator(prog, U.MEETINGS), date(2020, 1, 1), date(2021, 12, 31)) == 0


def test_events_are_the_held_meetings_of_the_chosen_types(world, prog):
    table = b.activity(world, prog, code="round_table")
    club = b.activity(world, prog)
    b.meeting(table, date(2020, 5, 5))
    b.meeting(table, date(2020, 6, 5))
    b.meeting(table, date(2020, 7, 5), held=False)
    b.meeting(club, date(2020, 5, 6))
    rebuild([prog.pk], today=TODAY)
    events = b.indicator(prog, U.EVENTS, types=[b.activity_type(world, "round_table")])
    assert value(events, date(2020, 1, 1), date(2020, 12, 31)) == 2
    assert value(events, date(2020, 6, 5), date(2020, 6, 5)) == 1
    assert value(events, date(2020, 6, 6), date(2020, 12, 31)) == 0


def test_case_clients_count_while_the_case_was_open(world, prog):
    kid, parent = b.child(world), b.adult(world)
    b.case(
        world, prog, opened=date(2020, 3, 1), closed=date(2020, 5, 31),
        children=[kid], adults=[parent], outcome="improved",
    )  # fmt: skip
    b.case(world, prog, opened=date(2020, 4, 1), children=[kid])
    rebuild([prog.pk], today=TODAY)
    kids = b.indicator(prog, U.CHILDREN, role=R.CASE_CLIENT)
    adults = b.indicator(prog, U.ADULTS, role=R.CASE_CLIENT)
    cases = b.indicator(prog, U.CASES)
    assert value(kids, date(2020, 1, 1), date(2020, 2, 29)) == 0
    assert value(kids, date(2020, 1, 1), date(2020, 3, 1)) == 1
    assert value(kids, date(2020, 1, 1), date(2021, 12, 31)) == 1  # two cases, one child
    assert value(adults, date(2020, 5, 31), date(2020, 12, 31)) == 1
    assert value(adults, date(2020, 6, 1), date(2020, 12, 31)) == 0
    assert value(cases, date(2020, 6, 1), date(2020, 12, 31)) == 1  # the open one
    assert value(cases, date(2020, 4, 1), date(2020, 4, 1)) == 2
    figs = programme_figures(prog, starts=date(2020, 5, 1), ends=date(2020, 5, 31), today=TODAY)
    assert [n for _, n in figs.case_outcomes] == [1]


def test_a_contact_parent_counts_once_however_many_meetings(world, prog):
    kid, parent = b.child(world), b.adult(world)
    b.arrangement(
        world, prog, child=kid, visitor=parent,
        days=[date(2020, 2, 3), date(2020, 2, 17), date(2020, 3, 2)], cancelled=[date(2020, 4, 6)],
    )  # fmt: skip
    rebuild([prog.pk], today=TODAY)
    parents = b.indicator(prog, U.ADULTS, role=R.CONTACT_PARENT)
    children = b.indicator(prog, U.CHILDREN, role=R.CONTACT_CHILD)
    assert value(parents, date(2020, 1, 1), date(2020, 12, 31)) == 1
    assert value(children, date(2020, 2, 4), date(2020, 2, 16)) == 0
    assert value(children, date(2020, 3, 2), date(2020, 3, 31)) == 1
    assert value(parents, date(2020, 4, 1), date(2020, 4, 30)) == 0  # only cancelled


def test_carers_are_people_and_households_are_households(world, prog):
    one, two, three = b.adult(world), b.adult(world), b.adult(world)
    placed = b.child(world)
    b.foster(
        world, prog, carers=[one, two], signed=date(2020, 3, 1), ends=date(2020, 12, 31),
        children=[(placed, date(2019, 1, 1), date(2020, 6, 30))],
    )  # fmt: skip
    b.foster(world, prog, carers=[three], signed=date(2021, 2, 1))
    b.foster(world, None, carers=[b.adult(world)], signed=date(2020, 1, 1))
    rebuild([prog.pk], today=TODAY)
    carers = b.indicator(prog, U.CARERS, role=R.FOSTER_CARER)
    households = b.indicator(prog, U.HOUSEHOLDS)
    fostered = b.indicator(prog, U.CHILDREN, role=R.FOSTER_CHILD)
    assert value(carers, date(2020, 1, 1), date(2020, 12, 31)) == 2
    assert value(households, date(2020, 1, 1), date(2020, 12, 31)) == 1
    assert value(carers, date(2020, 1, 1), date(2020, 2, 29)) == 0
    assert value(carers, date(2021, 1, 1), date(2021, 12, 31)) == 1
    assert value(carers, date(2020, 1, 1), date(2021, 12, 31)) == 3
    assert value(households, date(2020, 1, 1), date(2021, 12, 31)) == 2
    assert value(fostered, date(2020, 1, 1), date(2020, 2, 29)) == 0  # before the agreement
    assert value(fostered, date(2020, 6, 30), date(2020, 12, 31)) == 1
    assert value(fostered, date(2020, 7, 1), date(2020, 12, 31)) == 0


def test_one_person_counts_once_across_sources(world, prog):
    parent, kid = b.adult(world), b.child(world)
    act = b.activity(world, prog)
    b.meeting(act, date(2020, 3, 10), present=[b.participant(act, adult=parent)])
    b.case(world, prog, opened=date(2020, 2, 1), adults=[parent], children=[kid])
    b.arrangement(world, prog, child=kid, visitor=parent, days=[date(2020, 3, 3)])
    rebuild([prog.pk], today=TODAY)
    assert value(b.indicator(prog, U.ADULTS), date(2020, 1, 1), date(2020, 12, 31)) == 1
    assert value(b.indicator(prog, U.CHILDREN), date(2020, 1, 1), date(2020, 12, 31)) == 1


def test_the_75_25_split_is_a_share_of_distinct_people_on_one_side_only(world, prog):
    district = b.f.DistrictFactory(municipality=world.municipality_a)
    area = ActionArea.objects.create(
        municipality=world.municipality_a, name="Palotaváros", streets="Palotai út"
    )
    area.districts.add(district)
    inside = TargetGroup.objects.create(
        programme=prog, name="From the action area", area="inside", action_area=area,
        target_share=Decimal(75),
    )  # fmt: skip
    outside = TargetGroup.objects.create(
        programme=prog, name="From elsewhere", area="outside", action_area=area,
        target_share=Decimal(25), share_rule="at_most",
    )  # fmt: skip
    act = b.activity(world, prog)
    by_district = b.child(world, home_district=district)
    by_street = b.adult(world, address="Palotai út 12")
    away = b.adult(world, address="Fő utca 1")
    # The worker's note says "elsewhere" for someone who lives inside: ignored for named people.
    people = [
        b.participant(act, child=by_district, target_group="elsewhere"),
        b.participant(act, adult=by_street, target_group="action_area"),
        b.participant(act, adult=away, target_group="action_area"),
    ]
    b.meeting(act, date(2020, 3, 10), present=people)
    b.meeting(act, date(2020, 3, 17), present=people)
    b.case(world, prog, opened=date(2020, 2, 1), adults=[away])
    rebuild([prog.pk], today=TODAY)
    figs = programme_figures(prog, today=TODAY)
    shares = {share.target_group.pk: share for share in figs.shares}
    assert (shares[inside.pk].people, shares[inside.pk].reached) == (2, 3)
    assert (shares[outside.pk].people, shares[outside.pk].reached) == (1, 3)
    assert shares[inside.pk].share == Decimal("66.7")
    assert shares[inside.pk].met is False
    assert shares[outside.pk].met is False
    share = b.indicator(prog, U.ADULTS, target=75, aggregation="share", target_group=inside)
    assert value(share, date(2020, 1, 1), date(2020, 12, 31)) == Decimal("50.0")


def test_target_group_by_age_setting_and_disadvantage(world, prog):
    group = TargetGroup.objects.create(
        programme=prog, name="Young", people="children", min_age=3, max_age=6,
        settings=["school"], disadvantaged=True,
    )  # fmt: skip
    act = b.activity(world, prog)
    fits = b.child(world, birth_date=date(2015, 1, 1), disadvantaged=True)
    old = b.child(world, birth_date=date(2010, 1, 1), disadvantaged=True)
    not_disadvantaged = b.child(world, birth_date=date(2015, 1, 1))
    b.meeting(
        act,
        date(2020, 3, 10),
        present=[b.participant(act, child=c) for c in (fits, old, not_disadvantaged)],
    )
    rebuild([prog.pk], today=TODAY)
    members = b.indicator(prog, U.CHILDREN, target_group=group)
    assert value(members, date(2020, 1, 1), date(2020, 12, 31)) == 1


def test_outcomes_and_median_days_from_referral(world, prog):
    from earlyhelp.cases.models import CaseConcern
    from earlyhelp.concerns.models import Concern

    housing = OutcomeCategory.objects.create(programme=prog, code="housing_kept")
    first = b.case(world, prog, opened=date(2020, 3, 1))
    second = b.case(world, prog, opened=date(2020, 3, 1))
    concern = Concern.objects.create(
        municipality=world.municipality_a, institution=world.school_a1,
        reporter=world.users[Role.EDUCATOR], status="triaged", received_at=b.at(date(2020, 2, 20)),
    )  # fmt: skip
    CaseConcern.objects.create(case=first, concern=concern, linked_by=world.users[Role.CASE_WORKER])
    for made, day in ((first, date(2020, 4, 1)), (second, date(2020, 5, 1))):
        Outcome.objects.create(
            category=housing, case=made, municipality=world.municipality_a, achieved_on=day,
            recorded_by=world.users[Role.CASE_WORKER],
        )  # fmt: skip
    rebuild([prog.pk], today=TODAY)
    reached = b.indicator(prog, U.OUTCOMES, outcome=housing)
    days = b.indicator(
        prog, U.RESOLUTION_DAYS, aggregation="median", outcome=housing, lower_is_better=True
    )
    assert value(reached, date(2020, 4, 1), date(2020, 4, 30)) == 1
    # 41 days from the concern's receipt, 61 from the second case's opening.
    assert value(days, date(2020, 1, 1), date(2020, 12, 31)) == Decimal("51.0")
    figs = programme_figures(prog, today=TODAY)
    assert figs.outcomes[0].reached == 2
    assert figs.outcomes[0].median_days == Decimal("51.0")


def test_series_forecast_and_will_miss(world, prog):
    act = b.activity(world, prog)
    b.meeting(act, date(2020, 1, 15))
    b.meeting(act, date(2020, 2, 15))
    meetings = b.indicator(prog, U.MEETINGS, target=30, target_date=date(2020, 12, 31))
    b.indicator(prog, U.MEETINGS, target=3, target_date=date(2020, 12, 31), lower_is_better=True)
    rebuild([prog.pk], today=date(2020, 3, 31))
    points = list(IndicatorPoint.objects.filter(indicator=meetings).values_list("on", "value"))
    assert points == [(date(2020, 1, 31), 1), (date(2020, 2, 29), 2), (date(2020, 3, 31), 2)]
    figs = programme_figures(prog, today=date(2020, 3, 31))
    pace, cap = figs.indicators
    assert pace.value == 2 and pace.forecast == Decimal("8.0")  # 2 in 91 days → 8 in 366
    assert pace.will_miss and not pace.met
    assert cap.will_miss and cap.met  # 2 ≤ 3 now, but 8 > 3 at this pace


def test_a_new_rebuild_replaces_the_rows(world, prog):
    act = b.activity(world, prog)
    b.meeting(act, date(2020, 1, 15), present=[b.participant(act, child=b.child(world))])
    rebuild([prog.pk], today=TODAY)
    rebuild([prog.pk], today=TODAY)
    assert Engagement.objects.filter(programme=prog).count() == 1


def test_the_definition_in_words(world, prog):
    carers = b.indicator(prog, U.CARERS, target=20, role=R.FOSTER_CARER)
    assert figures.describe(carers, Decimal(17)) == (
        "distinct foster carers with a support agreement in force during the period: 17 of 20"
    )
    with translation.override("hu"):
        assert "17" in figures.describe(carers, Decimal(17))
    events = b.indicator(prog, U.EVENTS, target=4, types=[b.activity_type(world, "round_table")])
    assert "events held (activities of the types:" in figures.describe(events)


def test_the_monthly_series_of_people_agrees_with_the_value_of_each_period(world, prog):
    kid, later = b.child(world), b.child(world)
    b.case(world, prog, opened=date(2019, 6, 1), closed=date(2020, 2, 10), children=[kid])
    b.case(world, prog, opened=date(2020, 3, 5), children=[later])
    act = b.activity(world, prog)
    b.meeting(act, date(2020, 4, 2), present=[b.participant(act, child=kid)])
    kids = b.indicator(prog, U.CHILDREN)
    clients = b.indicator(prog, U.CHILDREN, role=R.CASE_CLIENT)
    rebuild([prog.pk], today=date(2020, 5, 15))
    for ind in (kids, clients):
        points = list(IndicatorPoint.objects.filter(indicator=ind).values_list("on", "value"))
        assert [on for on, _ in points][-1] == date(2020, 5, 15)
        for on, point in points:
            assert point == value(ind, prog.starts_on, on), (ind.role, on)
    assert [
        v for _, v in IndicatorPoint.objects.filter(indicator=kids).values_list("on", "value")
    ] == [1, 1, 2, 2, 2]


def test_the_command_rebuilds_and_says_rows_and_seconds(world, prog):
    from io import StringIO

    from django.core.management import call_command

    act = b.activity(world, prog)
    b.meeting(act, date(2020, 1, 15), present=[b.participant(act, child=b.child(world))])
    out = StringIO()
    call_command("rebuild_programme_figures", "--programme", str(prog.pk), stdout=out)
    assert "2 rows in" in out.getvalue()  # one engagement, one meeting held
    assert Engagement.objects.filter(programme=prog).count() == 1


def _split(world, prog, *, districts=True, streets="Palotai út"):
    area = ActionArea.objects.create(
        municipality=world.municipality_a, name="Palotaváros", streets=streets
    )
    district = b.f.DistrictFactory(municipality=world.municipality_a)
    if districts:
        area.districts.add(district)
    inside = TargetGroup.objects.create(
        programme=prog, name="Inside", area="inside", action_area=area, target_share=Decimal(75)
    )
    outside = TargetGroup.objects.create(
        programme=prog, name="Outside", area="outside", action_area=area,
        target_share=Decimal(25), share_rule="at_most",
    )  # fmt: skip
    return district, inside, outside


def test_people_of_unknown_residence_are_neither_inside_nor_outside(world, prog):
    district, inside, outside = _split(world, prog)
    elsewhere = b.f.DistrictFactory(municipality=world.municipality_a)
    act = b.activity(world, prog)
    people = [
        b.participant(act, child=b.child(world, home_district=district)),  # inside
        b.participant(act, child=b.child(world, home_district=elsewhere)),  # outside
        b.participant(act, child=b.child(world)),  # unknown: no district, no address
        b.participant(act, adult=b.adult(world)),  # unknown: nothing recorded
        b.participant(act, adult=b.adult(world, address="Fő utca 1")),  # outside
    ]
    b.meeting(act, date(2020, 3, 10), present=people)
    rebuild([prog.pk], today=TODAY)
    for figs in (
        programme_figures(prog, today=TODAY),  # the whole period, as the rebuild kept it
        programme_figures(prog, starts=date(2020, 3, 1), ends=date(2020, 3, 31), today=TODAY),
    ):
        shares = {share.target_group.pk: share for share in figs.shares}
        assert (shares[inside.pk].people, shares[inside.pk].reached) == (1, 5)
        assert (shares[outside.pk].people, shares[outside.pk].reached) == (2, 5)
        assert shares[inside.pk].unknown == shares[outside.pk].unknown == 2
    share = b.indicator(prog, U.CHILDREN, target=75, aggregation="share", target_group=outside)
    assert value(share, date(2020, 1, 1), date(2020, 12, 31)) == Decimal("33.3")  # 1 of 3


def test_an_area_without_districts_cannot_place_children_by_their_district(world, prog):
    district, inside, outside = _split(world, prog, districts=False)
    act = b.activity(world, prog)
    people = [
        b.participant(act, child=b.child(world, home_district=district)),
        b.participant(act, adult=b.adult(world, home_district=district)),
        b.participant(act, adult=b.adult(world, address="Palotai út 3")),
    ]
    b.meeting(act, date(2020, 3, 10), present=people)
    rebuild([prog.pk], today=TODAY)
    shares = {share.target_group.pk: share for share in programme_figures(prog).shares}
    assert (shares[inside.pk].people, shares[outside.pk].people) == (1, 0)
    assert shares[inside.pk].unknown == 2  # the child and the adult without an address


def test_a_group_anywhere_has_nobody_of_unknown_residence(world, prog):
    group = TargetGroup.objects.create(programme=prog, name="Everyone")
    act = b.activity(world, prog)
    b.meeting(act, date(2020, 3, 10), present=[b.participant(act, child=b.child(world))])
    rebuild([prog.pk], today=TODAY)
    (share,) = programme_figures(prog).shares
    assert (share.target_group, share.people, share.unknown) == (group, 1, 0)


def test_every_adult_taking_part_in_a_case_is_reached(world, prog):
    from earlyhelp.cases.models import CaseParticipant

    parent, relative = b.adult(world), b.adult(world)
    made = b.case(world, prog, opened=date(2020, 3, 1), adults=[parent])
    CaseParticipant.objects.create(
        case=made, adult=relative, role="relative", added_by=world.users[Role.CASE_WORKER]
    )
    rebuild([prog.pk], today=TODAY)
    adults = b.indicator(prog, U.ADULTS, role=R.CASE_CLIENT)
    assert value(adults, date(2020, 1, 1), date(2020, 12, 31)) == 2


def test_a_carer_counts_from_the_day_they_became_one(world, prog):
    from earlyhelp.fostercare.models import Carer

    early, late, gone = b.adult(world), b.adult(world), b.adult(world)
    household = b.foster(
        world, prog, carers=[early, late, gone], signed=date(2020, 3, 1), ends=date(2020, 12, 31)
    )
    Carer.objects.filter(household=household, adult=early).update(since=date(2015, 1, 1))
    Carer.objects.filter(household=household, adult=late).update(since=date(2020, 9, 1))
    Carer.objects.filter(household=household, adult=gone).update(since=date(2021, 2, 1))
    rebuild([prog.pk], today=TODAY)
    carers = b.indicator(prog, U.CARERS, role=R.FOSTER_CARER)
    assert value(carers, date(2020, 3, 1), date(2020, 8, 31)) == 1
    assert value(carers, date(2020, 9, 1), date(2020, 9, 30)) == 2
    assert value(carers, date(2020, 1, 1), date(2021, 12, 31)) == 2  # after the agreement: not


def test_the_forecast_stops_at_the_end_of_counting(world, prog):
    act = b.activity(world, prog)
    b.meeting(act, date(2020, 1, 15))
    b.meeting(act, date(2020, 2, 15))
    # Counted in the first half of 2020 only, with a target date at the programme's end.
    meetings = b.indicator(
        prog, U.MEETINGS, target=5, period_ends=date(2020, 6, 30), target_date=date(2021, 12, 31)
    )
    rebuild([prog.pk], today=date(2020, 3, 31))
    (figure,) = programme_figures(prog, today=date(2020, 3, 31)).indicators
    assert figure.value == 2
    assert figure.forecast == Decimal("4.0")  # 2 in 91 days → 4 in the 182 counted
    assert figure.will_miss
    assert meetings.ends() == date(2020, 6, 30)


def test_one_programme_failing_does_not_stop_the_command(world, prog, monkeypatch, caplog):
    from io import StringIO

    from django.core.management import CommandError, call_command

    other = b.programme(world, name="Other")
    act = b.activity(world, other)
    b.meeting(act, date(2020, 1, 15))
    real = figures._rebuild_one

    def failing(programme, today):
        if programme.pk == prog.pk:
            raise RuntimeError("broken")
        return real(programme, today)

    monkeypatch.setattr(figures, "_rebuild_one", failing)
    with pytest.raises(CommandError, match=str(prog.pk)):
        call_command("rebuild_programme_figures", stdout=StringIO())
    assert f"programme {prog.pk}" in caplog.text
    assert figures.Computation.objects.filter(programme=other).exists()
    assert not figures.Computation.objects.filter(programme=prog).exists()


def test_a_rebuild_locks_the_programme_row(world, prog, monkeypatch):
    from django.db.models.query import QuerySet

    locked = []
    real = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    rebuild([prog.pk], today=TODAY)
    rebuild([prog.pk], today=TODAY)  # a second run updates the computation, no clash
    # Each run locks the programme first (update_or_create then locks its computation).
    assert [m for m in locked if m is figures.Programme] == [figures.Programme] * 2
    assert locked[0] is figures.Programme
    assert figures.Computation.objects.filter(programme=prog).count() == 1
