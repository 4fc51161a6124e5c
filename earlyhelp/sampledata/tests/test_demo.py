"""The demo data: each municipality's term of activities and its screening rounds, made once
however often `demo_data` runs."""

from contextlib import redirect_stdout
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.activities.models import (
    Activity,
    Attendance,
    Participant,
    Session,
    SparringRequest,
)
from earlyhelp.activities.selectors import month_sessions, week
from earlyhelp.activities.services import missing_agreements
from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern, ConcernDeadline
from earlyhelp.contacts.models import Arrangement, Meeting, Report
from earlyhelp.fostercare.models import (
    Carer,
    ChecklistStep,
    DevelopmentItem,
    Household,
    Placement,
    Respite,
    SupportAgreement,
    Training,
    Visit,
)
from earlyhelp.fostercare.rules import DUE_SOON, MISSED, compliance_for
from earlyhelp.knowledge.models import Method, MethodVersion
from earlyhelp.organisations.models import Municipality
from earlyhelp.people.models import Adult, Child, Consent
from earlyhelp.screening.models import Rating, Round, RoundGroup

# Every test here reads the database, through the shared demo if not itself: marked so,
# pytest-django runs them before the transactional tests, whose end empties the database (the
# rows the migrations wrote included) on the worker they run on.
pytestmark = pytest.mark.django_db

COUNTRIES = ("HU", "CZ", "DK")
MODELS = (
    Activity, Session, Participant, Attendance, SparringRequest, Consent, Round, RoundGroup,
    Rating, AuditEvent, Arrangement, Meeting, Report, Household, Carer, Placement,
    SupportAgreement, Visit, Training, Respite, ChecklistStep, DevelopmentItem, Method,
    MethodVersion, Child, Adult, User,
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo generated once for the module's tests (it is the slow part), twice over, in a
    transaction rolled back at the end. The first run's output is kept, with whatever the
    console e-mail backend of development would have printed among it."""
    output = StringIO()
    console = "django.core.mail.backends.console.EmailBackend"
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(EMAIL_BACKEND=console), redirect_stdout(output):
            call_command("demo_data", children_per_group=3, stdout=output)
        counts = {model: model.objects.count() for model in MODELS}
        counts["output"] = output.getvalue()
        call_command("demo_data", children_per_group=3, stdout=StringIO())
        yield counts
        transaction.set_rollback(True)


def test_a_second_run_creates_nothing(demo):
    assert {model: model.objects.count() for model in MODELS} == {
        model: count for model, count in demo.items() if model != "output"
    }


def test_every_role_in_three_countries_with_their_names_and_every_stage_of_a_concern(demo):
    from earlyhelp.sampledata.demo.organisations import demo_accounts

    # One account per role in each of three municipalities (the DPO's once the role exists).
    assert (
        User.objects.count()
        == 3 * len(demo_accounts())
        == 24 + 3 * ("dpo" in dict(demo_accounts()))
    )
    assert Child.objects.filter(municipality__jurisdiction__code="DK").exists()
    assert Child.objects.filter(family_name__regex=r"[őűáéŘřžšæøå]").exists()
    stages = set(Concern.objects.values_list("status", flat=True))
    assert stages == set(Concern.Status.values)
    assert ConcernDeadline.objects.filter(met_at__isnull=True, due_at__lt=timezone.now()).exists()


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_social_helper_has_a_term_of_activities(demo, country):
    from earlyhelp.accounts.models import User

    helper = User.objects.get(username=f"{country.lower()}.social_helper")
    own = Activity.objects.filter(lead=helper)
    codes = set(own.values_list("type__code", flat=True))
    assert {
        "catch_up_tutoring", "baby_mama_club", "mentoring", "individual_session",
        "wellbeing_conversation", "health_day", "staff_workshop", "staff_sparring",
    } <= codes  # fmt: skip

    group = own.get(type__code="catch_up_tutoring")
    sessions = group.sessions.all()
    now = timezone.now()
    assert not sessions.filter(starts_at__lte=now, status=Session.Status.PLANNED).exists()
    assert sessions.filter(starts_at__gt=now, status=Session.Status.PLANNED).exists()
    assert sessions.filter(status=Session.Status.CANCELLED).exists()
    for session in sessions.filter(status=Session.Status.HELD):
        assert session.attendance.exists()
        local = timezone.localtime(session.starts_at)
        assert local.weekday() < 5 and 8 <= local.hour < 15
    statuses = set(
        Attendance.objects.filter(session__activity=group).values_list("status", flat=True)
    )
    assert "present" in statuses and statuses & {"absent", "excused"}
    participants = group.participants.all()
    assert participants.filter(left_on__isnull=False).exclude(left_reason="").count() == 1
    assert participants.exclude(outcome="").exists()
    targets = list(participants.values_list("target_group", flat=True))
    assert targets.count("action_area") > targets.count("elsewhere") > 0

    conversation = own.get(type__code="wellbeing_conversation")
    child = conversation.participants.get().child
    assert missing_agreements(child) == []
    if country == "DK":
        assert child.consents.filter(purpose=Consent.Purpose.SCHOOL_AGREEMENT).exists()

    health_day = own.get(type__code="health_day").sessions.get()
    assert health_day.head_count and health_day.activity.participants.exclude(name="").exists()
    workshops = own.filter(type__code="staff_workshop")
    held = workshops.get(sessions__status=Session.Status.HELD)
    assert held.theme in ("early_intervention", "parent_cooperation", "child_perspective")
    assert held.participants.filter(staff__isnull=False, feedback_rating__isnull=False).count() == 2

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    assert any(week(helper, monday)["days"].values())
    assert month_sessions(helper, today.replace(day=1)).exists()


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_educator_asked_for_sparring_held_and_waiting(demo, country):
    asked = SparringRequest.objects.filter(requested_by__username=f"{country.lower()}.educator")
    assert set(asked.values_list("status", flat=True)) == {"done", "requested"}
    done = asked.get(status="done")
    assert done.activity.sessions.get().status == Session.Status.HELD


@pytest.mark.parametrize("country", COUNTRIES)
def test_a_complete_and_a_running_screening_round(demo, country):
    rounds = Round.objects.filter(municipality__jurisdiction__code=country)
    complete = rounds.get(status=Round.Status.COMPLETE)
    running = rounds.get(status=Round.Status.OPEN)
    today = timezone.localdate()
    assert complete.closes_on < running.opens_on < today < running.closes_on

    assert not complete.round_groups.filter(finished_at__isnull=True).exists()
    flags = complete.ratings.filter(flagged=True)
    assert flags.exists() and not flags.filter(outcome="").exists()
    assert not flags.filter(outcome="none", outcome_reason="").exists()
    for rating in complete.ratings.all():
        instrument = complete.instrument
        assert rating.flagged == instrument.flags(rating.answers)
        assert rating.worry == sum(instrument.worry(v) for v in rating.answers.values())
    assert complete.ratings.filter(flagged=False).count() > flags.count()  # mostly green

    assert running.round_groups.filter(finished_at__isnull=False).count() == 1
    assert running.ratings.filter(flagged=True, outcome="").exists()
    # Some children's worry moved between the rounds.
    before = dict(complete.ratings.values_list("child_id", "worry"))
    after = dict(running.ratings.values_list("child_id", "worry"))
    assert any(before[child] != worry for child, worry in after.items())


def test_the_czech_pilot_runs_six_contact_arrangements_with_a_history(demo):
    arrangements = Arrangement.objects.filter(municipality__code="demo-cz")
    assert arrangements.count() == 6
    assert set(arrangements.values_list("basis", flat=True)) == {
        "court_order", "authority", "agreement",
    }  # fmt: skip
    meetings = Meeting.objects.filter(arrangement__in=arrangements)
    now = timezone.now()
    held = meetings.filter(status=Meeting.Status.HELD)
    assert held.exists() and all(m.handover_at and m.child_words for m in held)
    assert meetings.filter(status__in=("cancelled", "no_show")).exclude(caused_by="").exists()
    assert meetings.filter(starts_at__gt=now, status=Meeting.Status.PLANNED).exists()
    # One meeting that took place is left to write up.
    assert meetings.filter(starts_at__lt=now, status=Meeting.Status.PLANNED).count() == 1
    assert arrangements.exclude(stage="agreement").exists()
    statuses = set(
        Report.objects.filter(arrangement__in=arrangements).values_list("status", flat=True)
    )
    assert statuses == {"released", "in_review"}
    released = Report.objects.get(status="released", arrangement__in=arrangements)
    assert bytes(released.pdf).startswith(b"%PDF")
    # No two meetings share a room or the worker at the same time.
    planned = list(meetings.filter(status__in=("planned", "held")).order_by("starts_at"))
    for a, b in zip(planned, planned[1:], strict=False):
        assert not (b.starts_at < a.ends_at and (a.room_id == b.room_id or a.lead_id == b.lead_id))


def test_the_czech_pilot_supports_twenty_foster_families(demo):
    households = Household.objects.filter(municipality__jurisdiction__code="CZ")
    assert households.count() == 20
    assert Placement.objects.filter(household__in=households).count() >= 20
    assert {p.kind for p in Placement.objects.all()} == {"long_term", "temporary", "relative"}
    today = timezone.localdate()
    rows = compliance_for(households, today)
    assert all(row.agreement is not None for row in rows)
    statuses = [row.status for row in rows]
    # Most families are fine; a few approach a missed requirement; one missed one.
    assert 2 <= statuses.count(DUE_SOON) <= 8
    assert 1 <= statuses.count(MISSED) <= 3
    assert Training.objects.filter(household__in=households).count() >= 60
    assert Respite.objects.filter(household__in=households).exists()
    year = Visit.objects.filter(household__in=households, on__gte=today - timedelta(days=365))
    assert year.filter(kind="key_worker_contact").count() >= 100


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_place_runs_its_countrys_programme_with_links(demo, country):
    from earlyhelp.cases.models import Case
    from earlyhelp.people.models import Adult, Child
    from earlyhelp.programmes.models import Programme
    from earlyhelp.programmes.templates import TEMPLATES

    programme = Programme.objects.get(municipality__jurisdiction__code=country)
    assert TEMPLATES[programme.template].country == country
    assert programme.runs_on(timezone.localdate())
    place = programme.municipality
    assert not Activity.objects.filter(municipality=place).exclude(programmes=programme).exists()
    assert Case.objects.filter(programmes=programme).exists()
    for indicator in programme.indicators.all():
        indicator.clean(activity_types=list(indicator.activity_types.all()))
    for model in (Child, Adult):
        people = model.objects.filter(municipality=place)
        assert not people.filter(home_district__isnull=True).exists()
        assert people.filter(disadvantaged=True).exists()
        assert people.filter(disadvantaged=False).exists()
    area = programme.target_groups.filter(action_area__isnull=False).first()
    if area is not None:
        assert area.action_area.districts.exists()


def test_the_czech_programme_counts_what_the_seed_counts(demo):
    from earlyhelp.programmes.models import Programme

    programme = Programme.objects.get(template="cz-opz-setrvani")
    # The six parents of the pilot: one visitor per arrangement, counted once however many
    # meetings they had.
    arrangements = Arrangement.objects.filter(programmes=programme)
    assert arrangements.values("visitor").distinct().count() == 6
    # Carers are people: the agreements linked are those of exactly twenty carers.
    agreements = SupportAgreement.objects.filter(programmes=programme)
    carers = Carer.objects.filter(household__agreements__in=agreements).distinct()
    assert carers.count() == 20
    assert Carer.objects.filter(household__municipality=programme.municipality).count() > 20
    # Four round tables held, with partners named and the organisation's staff.
    tables = Activity.objects.filter(programmes=programme, type__code="round_table")
    assert tables.count() == 4
    for table in tables:
        assert table.sessions.filter(status="held").count() == 1
        assert table.participants.exclude(name="").exists()
        assert table.participants.filter(staff__isnull=False).count() >= 3
    staff = Participant.objects.filter(
        activity__programmes=programme,
        activity__type__code__in=("staff_workshop", "staff_sparring", "round_table"),
        staff__isnull=False,
    )
    assert 5 <= staff.values("staff").distinct().count() <= 10


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_place_has_a_team_discussion_a_supported_worker_and_coverage(demo, country):
    from earlyhelp.programmes.figures import indicator_value
    from earlyhelp.programmes.models import Indicator
    from earlyhelp.workforce.models import (
        ImplementationSupport,
        InstitutionCoverage,
        TeamDiscussion,
    )

    discussion = TeamDiscussion.objects.get(municipality__jurisdiction__code=country)
    assert discussion.discussed_items.filter(case__isnull=False).exists()
    assert discussion.discussed_items.exclude(situation="").exists()
    assert discussion.learnings.count() == 2
    support = ImplementationSupport.objects.get(municipality__jurisdiction__code=country)
    assert support.sessions.count() == 2
    assert InstitutionCoverage.objects.filter(
        municipality__jurisdiction__code=country, helper_hours__gt=0, children__gt=0
    ).exists()
    if country == "CZ":
        supported = Indicator.objects.get(
            programme__template="cz-opz-setrvani", role=Indicator.Role.IMPLEMENTATION_SUPPORT
        )
        assert indicator_value(supported) == 1


def test_each_municipality_has_a_catalogue_its_activities_follow(demo):
    for municipality in Municipality.objects.filter(methods__isnull=False).distinct():
        # The interventions the catalogue describes (a review's prototype is still to be rated).
        methods = Method.objects.filter(
            municipality=municipality, kind=Method.Kind.INTERVENTION, review__isnull=True
        )
        assert 5 <= methods.count() <= 8, municipality
        assert not methods.filter(evidence_level__isnull=True).exists()
        names = list(methods.values_list("name", flat=True))
        assert len(names) == len(set(names)), municipality
        assert methods.exclude(sources="").exists()
        followed = Activity.objects.filter(municipality=municipality, method__isnull=False)
        assert followed.exists(), municipality
        assert not followed.exclude(method__municipality=municipality).exists()
    assert Municipality.objects.filter(methods__isnull=False).distinct().count() == 3


@pytest.mark.parametrize("country", COUNTRIES)
def test_brothers_and_sisters_share_their_parents_and_go_to_school(demo, country):
    from earlyhelp.people.models import Child, Relationship
    from earlyhelp.sampledata.demo.people import SIBLING_SETS

    parents = {}
    for row in Relationship.objects.filter(
        child__municipality__jurisdiction__code=country, kind__in=("mother", "father")
    ).values("child_id", "adult_id"):
        parents.setdefault(row["child_id"], set()).add(row["adult_id"])
    families = {}
    for child, adults in parents.items():
        families.setdefault(frozenset(adults), []).append(child)
    sets = [children for adults, children in families.items() if len(children) > 1]
    assert len(sets) >= len(SIBLING_SETS)
    sizes = sorted(len(children) for children in sets)
    assert 3 in sizes and 2 in sizes
    places = []
    for children in sets:
        enrolled = Child.objects.filter(pk__in=children).values_list(
            "enrolments__group__institution__kind", "enrolments__group_id"
        )
        places.append(list(enrolled))
    # Twins in one class, children in different classes of one school, and a pair split
    # between a kindergarten and a school.
    assert any(len({group for _kind, group in rows}) == 1 for rows in places)
    assert any(len({group for _kind, group in rows}) > 1 and {k for k, _g in rows} == {"school"}
               for rows in places)  # fmt: skip
    assert any({kind for kind, _group in rows} == {"school", "kindergarten"} for rows in places)


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_place_supports_foster_families_and_assisted_contact(demo, country):
    households = Household.objects.filter(municipality__jurisdiction__code=country)
    assert households.count() >= 6
    assert Carer.objects.filter(household__in=households).exists()
    assert Placement.objects.filter(household__in=households).exists()
    assert SupportAgreement.objects.filter(household__in=households).exists()
    assert Visit.objects.filter(household__in=households).exists()
    arrangements = Arrangement.objects.filter(municipality__jurisdiction__code=country)
    assert arrangements.count() >= 3
    assert Meeting.objects.filter(arrangement__in=arrangements, status="held").exists()
    assert Report.objects.filter(arrangement__in=arrangements).exists()
    if country != "CZ":
        # In the place's language, not the Czech pilot's.
        assert not households.filter(name__endswith="ovi").exists()


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_managers_figures_show_counts_above_suppression(demo, country):
    from earlyhelp.access.policy import SMALL_CELL
    from earlyhelp.accounts.models import User
    from earlyhelp.concerns.figures import concern_figures
    from earlyhelp.concerns.models import Concern

    for role in ("manager", "analyst"):
        figures = concern_figures(user=User.objects.get(username=f"{country.lower()}.{role}"))
        assert figures.suppressed
        shown = [int(count) for _label, count in figures.by_status if count.isdigit()]
        assert len([count for count in shown if count >= SMALL_CELL]) >= 2, figures.by_status
        assert len([bar for bar in figures.triage_hours if bar.value is not None]) >= 2
    # Received over the last twelve months, in most of them.
    received = Concern.objects.filter(
        municipality__jurisdiction__code=country,
        received_at__gte=timezone.now() - timedelta(days=366),
    ).values_list("received_at", flat=True)
    assert len({(day.year, day.month) for day in received}) >= 10


def test_demo_data_prints_progress_and_no_mail(demo):
    output = demo["output"]
    assert "Content-Type:" not in output and "MIME-Version" not in output
    lines = output.strip().splitlines()
    assert lines[0].startswith("Székesfehérvár: ")
    assert "hu.manager" in output and "cz.analyst" in output
    assert lines[-1].strip().startswith(".venv/bin/python manage.py demo_totp hu.social_helper")


def test_dpo_accounts_wait_for_the_role():
    from earlyhelp.sampledata.demo.organisations import demo_accounts, dpo_role_available

    roles = [role for role, _names in demo_accounts()]
    assert ("dpo" in roles) == dpo_role_available()
