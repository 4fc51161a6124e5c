"""The bench data generator writes consistent, reproducible, searchable data that the access
policy and sign-in work on. A tiny fraction of bench-L keeps these tests fast."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.policy import visible
from earlyhelp.accounts.models import User
from earlyhelp.activities.models import (
    CATALOGUE,
    Activity,
    Attendance,
    Participant,
    Session,
)
from earlyhelp.activities.selectors import own_sessions
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import verify_log
from earlyhelp.concerns.models import Concern, ConcernChild, ConcernDeadline
from earlyhelp.core.text import fold_text
from earlyhelp.organisations.models import Membership, Municipality, Role
from earlyhelp.people.models import Adult, Child, Enrolment, Relationship, Sex
from earlyhelp.protocols.services import deadlines_for
from earlyhelp.sampledata.bench import BenchDataRefused, generate
from earlyhelp.sampledata.bench.organisations import (
    BENCH_PASSWORD,
    BENCH_ROLES,
    BENCH_TOTP_KEY,
    COUNTRY,
)
from earlyhelp.sampledata.bench.people import NamePool

TINY = 0.0005  # 1,000 children, 1,250 concerns
NOW = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def _generate(seed: int = 7, **options) -> dict[str, int]:
    return generate(scale_factor=TINY, seed=seed, bench_accounts=2, now=NOW, **options)


class Rollback(Exception):
    pass


def _names_of_a_run(seed: int) -> list[tuple]:
    """The children and accounts one run writes, undone afterwards."""
    try:
        with transaction.atomic():
            _generate(seed)
            names = list(
                Child.objects.order_by("pk").values_list("given_name", "family_name", "birth_date")
            )
            names += list(User.objects.order_by("pk").values_list("username", "last_name"))
            raise Rollback
    except Rollback:
        return names


def test_every_child_has_one_current_enrolment_and_a_family():
    counts = _generate()
    children = Child.objects.filter(municipality__code__startswith="bench-")
    assert children.count() == counts["people_child"] == 1000
    current = Enrolment.objects.current().values("child_id")
    assert not children.exclude(pk__in=current).exists()
    assert Enrolment.objects.count() == children.count()
    assert not children.filter(relationships__isnull=True).exists()
    # Siblings share their parents.
    shared = Relationship.objects.values("adult_id").annotate(n=Count("child_id")).filter(n__gt=1)
    assert shared.exists()
    assert not Relationship.objects.exclude(adult__municipality=F("child__municipality")).exists()


def test_concerns_have_children_and_the_profile_deadlines():
    counts = _generate()
    assert Concern.objects.count() == counts["concerns_concern"] == 1250
    assert not Concern.objects.filter(children__isnull=True).exists()
    received = Concern.objects.exclude(status=Concern.Status.DRAFT)
    assert not received.filter(deadlines__isnull=True).exists()
    assert not received.filter(profile__isnull=True).exists()
    assert set(Concern.objects.values_list("status", flat=True)) == set(Concern.Status.values)
    decided = received.filter(status__in=["triaged", "closed"])
    assert not decided.filter(decided_at__isnull=True).exists()
    assert ConcernDeadline.objects.filter(concern__in=decided, met_at__isnull=False).exists()
    # Reporters are staff of the concern's institution.
    concern = received.filter(reporter__isnull=False).select_related("reporter").first()
    assert Membership.objects.filter(
        user=concern.reporter, institution=concern.institution
    ).exists()
    # The cached deadlines are those deadlines_for computes for each concern.
    for concern in received.select_related("municipality__jurisdiction", "profile")[:60]:
        expected = deadlines_for(
            profile=concern.profile,
            municipality=concern.municipality,
            received_at=concern.received_at,
            reporter_kind=concern.reporter_kind,
            immediate_danger=concern.immediate_danger,
            reporter_requested_feedback=concern.feedback_requested,
        )
        stored = concern.deadlines.order_by("due_at", "code")
        assert [(d.code, d.due_at) for d in stored] == [(d.code, d.due_at) for d in expected]


def test_one_concern_in_a_hundred_has_a_stored_file_with_its_checksum():
    from earlyhelp.concerns.models import ConcernAttachment
    from earlyhelp.core.backups import file_problems

    counts = _generate()
    attached = ConcernAttachment.objects.count()
    assert attached == counts["concerns_concernattachment"] > 0
    assert all(
        pk % 100 == 0 for pk in ConcernAttachment.objects.values_list("concern_id", flat=True)
    )
    checked, problems = file_problems()
    assert checked >= attached and problems == []


def test_some_children_have_many_concerns():
    _generate()
    per_child = sorted(
        ConcernChild.objects.filter(role="harmed")
        .values("child_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True),
        reverse=True,
    )
    top = per_child[: len(per_child) // 10]
    assert sum(top) > 0.3 * sum(per_child)


def test_bench_accounts_sign_in_with_the_password_and_have_an_authenticator():
    _generate()
    request = RequestFactory().post("/accounts/login/")
    for role in BENCH_ROLES:
        for i in (1, 2):
            user = authenticate(request, username=f"bench.{role}.{i}", password=BENCH_PASSWORD)
            assert user is not None, f"bench.{role}.{i}"
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            assert device.key == BENCH_TOTP_KEY
            assert device.verify_token(f"{totp(device.bin_key):06d}")
            assert Membership.objects.active().filter(user=user, role=role).exists()
    assert authenticate(request, username="bench.educator.1", password="wrong") is None
    # Bench educators teach classes; bench social helpers serve the largest institutions.
    educator = User.objects.get(username="bench.educator.1")
    assert Membership.objects.filter(user=educator, group__isnull=False).exists()
    helper = User.objects.get(username="bench.social_helper.1")
    served = Membership.objects.filter(user=helper).values("institution_id")
    largest = (
        Membership.objects.filter(
            role=Role.SOCIAL_HELPER, municipality__in=helper.memberships.values("municipality")
        )
        .values("institution_id")
        .annotate(n=Count("institution__groups__enrolments"))
        .order_by("-n")
        .first()
    )
    assert largest["institution_id"] in {row["institution_id"] for row in served}


def test_the_same_seed_gives_the_same_people():
    first = _names_of_a_run(11)
    assert first == _names_of_a_run(11)
    assert first != _names_of_a_run(12)


def test_search_names_are_folded_and_czech_women_take_the_female_form():
    _generate()
    children = list(Child.objects.select_related("municipality__jurisdiction"))
    for child in children:
        assert child.search_name == fold_text(f"{child.family_name} {child.given_name}")
    accented = next(c for c in children if not c.family_name.isascii())
    found = Child.objects.filter(search_name__startswith=fold_text(accented.family_name))
    assert accented in found
    assert NamePool(COUNTRY["HU"], 1).search_name("Szőke", "Bence") == "szoke bence"
    czech_girls = [
        c for c in children if c.municipality.jurisdiction.code == "CZ" and c.sex == Sex.FEMALE
    ]
    assert czech_girls
    assert all(c.family_name.endswith("á") for c in czech_girls)


def test_a_bench_educator_sees_the_children_of_their_class():
    _generate()
    educator = User.objects.get(username="bench.educator.1")
    groups = Membership.objects.filter(user=educator, group__isnull=False).values("group_id")
    in_class = Child.objects.filter(enrolments__group_id__in=groups, restricted=False).values_list(
        "pk", flat=True
    )
    seen = visible(educator, Child.objects.all()).values_list("pk", flat=True)
    assert set(seen) == set(in_class) != set()
    helper = User.objects.get(username="bench.social_helper.1")
    queue = visible(helper, Concern.objects.all(), "triage")
    assert queue.exists()


def test_it_refuses_to_write_twice_or_in_production(settings):
    _generate()
    with pytest.raises(BenchDataRefused, match="fresh database"):
        _generate(seed=8)
    Municipality.objects.create(
        jurisdiction_id=Municipality.objects.first().jurisdiction_id, name="After", code="after"
    )  # the id sequence moved past the generated rows
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("bench_data", scale_factor=TINY, stdout=StringIO())


def test_the_command_reports_progress_and_no_secret():
    out = StringIO()
    call_command("bench_data", scale_factor=TINY, bench_accounts=1, stdout=out)
    text = out.getvalue()
    assert "people_child" in text and "rows/s" in text and "Bench data written" in text
    assert BENCH_PASSWORD not in text and BENCH_TOTP_KEY not in text
    assert User.objects.filter(username="bench.analyst.1").exists()
    assert not User.objects.filter(username="bench.analyst.2").exists()


def test_activities_reach_the_participations_and_keep_the_constraints():
    counts = _generate()
    places = Municipality.objects.filter(code__startswith="bench-")
    # Every municipality has the shipped catalogue, as ensure_catalogue writes it.
    for place in places:
        assert set(place.activity_types.values_list("code", flat=True)) == set(CATALOGUE)
    # Participations are attendance rows: 30,000,000 at L, here 0.05 % of it. The current
    # school year is written whole, so a municipality whose year up to now holds more than
    # its share goes past it (here, in March, one does); earlier years only fill the rest.
    assert Attendance.objects.count() == counts["activities_attendance"]
    assert 15_000 <= counts["activities_attendance"] <= 16_500
    assert counts["activities_session"] == Session.objects.count() > 0
    # Only held meetings have attendance; meetings after now are planned.
    assert not Attendance.objects.exclude(session__status=Session.Status.HELD).exists()
    assert not Session.objects.filter(starts_at__gte=NOW).exclude(status="planned").exists()
    assert not Session.objects.filter(starts_at__lt=NOW, status="planned").exists()
    # References hold (the loader writes the activity tables without foreign-key triggers).
    assert not Attendance.objects.exclude(session_id__in=Session.objects.values("pk")).exists()
    assert not Attendance.objects.exclude(
        participant_id__in=Participant.objects.values("pk")
    ).exists()
    assert not Attendance.objects.exclude(
        participant__activity_id=F("session__activity_id")
    ).exists()
    assert not Session.objects.exclude(activity_id__in=Activity.objects.values("pk")).exists()
    assert not Session.objects.exclude(municipality_id=F("activity__municipality_id")).exists()
    assert not Participant.objects.exclude(activity_id__in=Activity.objects.values("pk")).exists()
    assert not Participant.objects.exclude(municipality_id=F("activity__municipality_id")).exists()
    children = Participant.objects.filter(child__isnull=False)
    assert not children.exclude(child_id__in=Child.objects.values("pk")).exists()
    assert not children.exclude(child__municipality_id=F("municipality_id")).exists()
    adults = Participant.objects.filter(adult__isnull=False)
    assert not adults.exclude(adult_id__in=Adult.objects.values("pk")).exists()
    assert not adults.exclude(adult__municipality_id=F("municipality_id")).exists()
    staff = Participant.objects.filter(staff__isnull=False)
    assert not staff.exclude(staff_id__in=User.objects.values("pk")).exists()
    assert not Activity.objects.exclude(type__municipality_id=F("municipality_id")).exists()
    assert not Activity.objects.exclude(institution__municipality_id=F("municipality_id")).exists()
    # Each participant is one person (child, adult, staff) or a name taken on the day.
    people = Q(child__isnull=False) | Q(adult__isnull=False) | Q(staff__isnull=False)
    assert not Participant.objects.exclude(people).filter(name="").exists()
    for kind in ("child", "adult", "staff"):
        assert Participant.objects.filter(**{f"{kind}__isnull": False}).exists()
    assert Participant.objects.exclude(people).exists()  # named on the day
    # A person takes part in an activity once; attendance once per meeting.
    for field_name in ("child", "adult", "staff"):
        twice = (
            Participant.objects.filter(**{f"{field_name}__isnull": False})
            .values("activity_id", field_name)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert not twice.exists()
    # The target group: about three in four from the action area.
    share = Participant.objects.filter(target_group="action_area").count() / (
        Participant.objects.count()
    )
    assert 0.7 < share < 0.8
    # Groups, individual help, community events (with a head count) and work with staff.
    modes = set(Activity.objects.values_list("type__mode", flat=True))
    assert modes == {"individual", "group", "community", "staff"}
    assert Session.objects.filter(head_count__gt=0).exists()
    assert Activity.objects.filter(lead__memberships__role=Role.CASE_WORKER).exists()


def test_a_bench_social_helper_has_a_full_week_and_month():
    _generate()
    helper = User.objects.get(username="bench.social_helper.1")
    monday = NOW.date() - timedelta(days=NOW.weekday())
    week = own_sessions(helper, monday, monday + timedelta(days=6)).count()
    assert 9 <= week <= 25
    month = own_sessions(helper, date(2025, 11, 1), date(2025, 11, 30)).count()
    assert 40 <= month <= 110
    # The school year is covered up to its end in June, the weeks after now planned.
    june = own_sessions(helper, date(2026, 6, 1), date(2026, 6, 14))
    assert june.exists() and not june.exclude(status="planned").exists()


def test_programmes_from_the_templates_with_links_and_an_action_area():
    from earlyhelp.fostercare.models import Carer, SupportAgreement
    from earlyhelp.programmes.models import Indicator, Programme
    from earlyhelp.programmes.templates import TEMPLATES

    _generate()
    for municipality in Municipality.objects.filter(code__startswith="bench-"):
        programmes = list(Programme.objects.filter(municipality=municipality))
        assert 1 <= len(programmes) <= 2
        for programme in programmes:
            template = TEMPLATES[programme.template]
            assert template.country == municipality.jurisdiction.code
            assert programme.runs_on(NOW.date())
            assert programme.indicators.count() == len(template.indicators)
            for indicator in programme.indicators.all():
                types = list(indicator.activity_types.all())
                assert all(t.municipality_id == municipality.pk for t in types)
                indicator.clean(activity_types=types)
            for group in programme.target_groups.all():
                group.clean()
        first = programmes[0]
        activities = Activity.objects.filter(municipality=municipality).count()
        linked = Activity.objects.filter(programmes=first).count()
        assert 0.15 * activities <= linked <= 0.45 * activities
        if first.target_groups.filter(area="inside").exists():
            area = first.target_groups.get(area="inside").action_area
            assert area.districts.exists()
            living = Child.objects.filter(
                municipality=municipality, home_district__in=area.districts.all()
            ).count()
            assert 0 < living < Child.objects.filter(municipality=municipality).count()
    czech = Programme.objects.get(template="cz-opz-setrvani")
    agreements = SupportAgreement.objects.filter(programmes=czech)
    assert agreements.exists()
    carers = Carer.objects.filter(household__agreements__in=agreements).distinct()
    assert carers.count() >= agreements.count()
    assert all(c.adult.kind == Adult.Kind.FOSTER_CARER for c in carers)
    assert Indicator.objects.filter(programme=czech, unit="carers", target_value=20).exists()
    assert Child.objects.filter(disadvantaged=True).exists()


def test_the_audit_history_is_a_chain_that_verifies_of_readers_in_their_municipality():
    _generate()
    out = StringIO()
    call_command("bench_audit", rows=3000, months=1, stdout=out)
    assert "Audit history written:" in out.getvalue()
    rows = AuditEvent.objects.filter(object_type="people.child")
    assert 2500 <= rows.count() <= 3500
    assert verify_log().broken is None
    read = rows.exclude(subject="").order_by("id").first()
    child = Child.objects.get(pk=read.object_id)
    assert read.subject == f"people.child:{child.pk}"
    assert read.municipality_id == child.municipality_id
    assert Membership.objects.filter(
        user_id=read.actor_id, role=read.role, municipality_id=child.municipality_id
    ).exists()
    assert rows.filter(action="change").exists() and rows.filter(action="list").exists()
