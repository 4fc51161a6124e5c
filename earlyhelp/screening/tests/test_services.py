"""Screening rounds as their services keep them: who is flagged, what a flag must end in, when a
round is complete, and what is refused (a stale save, another class's child, a closed round)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Role
from earlyhelp.screening import services
from earlyhelp.screening.models import Instrument, Rating, Round
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db

GREEN = {"mood": 0, "belonging": 0, "care": 0, "attendance": 0, "behaviour": 0,
         "learning": 0, "safety": 0}  # fmt: skip


def answers(**changes) -> dict:
    return {**GREEN, **changes}


def a_round(world, **kwargs):
    kwargs.setdefault("groups", [world.class_a1])
    return f.RoundFactory(
        institution=world.school_a1, created_by=world.users[Role.SOCIAL_HELPER], **kwargs
    )


def rate(world, round_, child, version=0, **kwargs):
    row = services.RowInput(child_id=child.pk, answers=answers(**kwargs), version=version)
    return services.ratings_save(
        user=world.users[Role.EDUCATOR], round_=round_, group=world.class_a1, rows=[row]
    )


def classmate(world, **kwargs):
    child = f.ChildFactory(municipality=world.municipality_a, **kwargs)
    f.EnrolmentFactory(child=child, group=world.class_a1)
    return child


def test_a_child_is_flagged_by_one_serious_worry_or_two_some_worries():
    shipped = Instrument.objects.get(municipality__isnull=True, code="wellbeing")
    assert services.score(shipped, answers()) == (0, False)
    assert services.score(shipped, answers(mood=1)) == (1, False)
    assert services.score(shipped, answers(mood=1, care=1)) == (2, True)
    assert services.score(shipped, answers(safety=2)) == (2, True)
    scale = Instrument(code="five", scale=Instrument.Scale.SCALE, amber_flags=2)
    assert services.score(scale, {"a": 5, "b": 4}) == (0, False)
    assert services.score(scale, {"a": 3, "b": 5}) == (1, False)
    assert services.score(scale, {"a": 3, "b": 3}) == (2, True)
    assert services.score(scale, {"a": 2, "b": 5}) == (2, True)


def test_ratings_are_saved_and_resaving_updates_them(world):
    round_ = a_round(world)
    result = rate(world, round_, world.inside, safety=2)
    assert (result.created, result.flagged) == (1, 1)
    rating = Rating.objects.get(round=round_, child=world.inside)
    assert rating.flagged and rating.worry == 2 and rating.version == 1
    # Saving the same again changes nothing; a change is a new version.
    assert rate(world, round_, world.inside, version=1, safety=2).changed == 0
    assert rate(world, round_, world.inside, version=1, safety=0).changed == 1
    rating.refresh_from_db()
    assert not rating.flagged and rating.worry == 0 and rating.version == 2
    assert (
        AuditEvent.objects.filter(
            object_type="screening.rating", subject=f"people.child:{world.inside.pk}"
        ).count()
        == 2
    )


def test_a_row_must_be_whole_and_no_worry_fills_what_is_left(world):
    round_ = a_round(world)
    partial = services.RowInput(child_id=world.inside.pk, answers={"mood": 1})
    with pytest.raises(ValidationError) as refused:
        services.ratings_save(
            user=world.users[Role.EDUCATOR], round_=round_, group=world.class_a1, rows=[partial]
        )
    assert str(world.inside.pk) in refused.value.message_dict
    partial.all_fine = True
    services.ratings_save(
        user=world.users[Role.EDUCATOR], round_=round_, group=world.class_a1, rows=[partial]
    )
    assert Rating.objects.get().answers == answers(mood=1)


def test_an_educator_rates_only_their_own_class_and_not_a_withdrawn_child(world):
    round_ = a_round(world, groups=[world.class_a1, world.class_a2])
    educator = world.users[Role.EDUCATOR]
    other_class = services.RowInput(child_id=world.elsewhere.pk, answers=answers())
    with pytest.raises(ValidationError, match="only the children of this class"):
        services.ratings_save(
            user=educator, round_=round_, group=world.class_a1, rows=[other_class]
        )
    with pytest.raises(PermissionDenied):
        services.ratings_save(
            user=educator, round_=round_, group=world.class_a2, rows=[other_class]
        )
    # A restricted child the educator cannot see is not theirs to rate either.
    secret = services.RowInput(child_id=world.secret.pk, answers=answers())
    with pytest.raises(ValidationError):
        services.ratings_save(user=educator, round_=round_, group=world.class_a1, rows=[secret])
    # The parents withdrew their consent to screening.
    f.ConsentFactory(
        child=world.inside, purpose="screening", given_on=dt.date(2025, 9, 1),
        withdrawn_on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        rate(world, round_, world.inside)
    assert not Rating.objects.exists()


def test_a_closed_round_and_one_not_yet_open_refuse_ratings(world):
    helper = world.users[Role.SOCIAL_HELPER]
    round_ = a_round(world)
    services.round_close(user=helper, round_=round_, version=round_.version)
    with pytest.raises(ValidationError, match="closed"):
        rate(world, round_, world.inside)
    later = a_round(world, opens_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="opens on"):
        rate(world, later, world.inside)
    # Past its last day a round closes when it is next read, and refuses ratings.
    past = a_round(world, closes_on=timezone.localdate() - dt.timedelta(days=1))
    services.round_settle(round_=past)
    assert past.status == Round.Status.COMPLETE  # nothing was flagged
    with pytest.raises(ValidationError, match="closed"):
        rate(world, past, world.inside)


def test_a_stale_row_is_refused_with_the_other_persons_rating(world):
    round_ = a_round(world)
    rate(world, round_, world.inside, mood=1)
    rate(world, round_, world.inside, version=1, mood=2)
    with pytest.raises(services.StaleRowsError) as stale:
        rate(world, round_, world.inside, version=1, mood=0)
    assert stale.value.current[world.inside.pk].answers == answers(mood=2)
    # A second rater of a child who had no rating when the sheet was read.
    other = classmate(world)
    services.ratings_save(
        user=world.users[Role.EDUCATOR], round_=round_, group=world.class_a1,
        rows=[services.RowInput(child_id=other.pk, answers=answers())],
    )  # fmt: skip
    with pytest.raises(StaleVersionError):
        services.ratings_save(
            user=world.users[Role.EDUCATOR], round_=round_, group=world.class_a1,
            rows=[services.RowInput(child_id=other.pk, answers=answers(care=2))],
        )  # fmt: skip


def test_a_flag_needs_an_outcome_and_none_needs_a_reason(world):
    helper = world.users[Role.SOCIAL_HELPER]
    round_ = a_round(world)
    rate(world, round_, world.inside, safety=2)
    rating = Rating.objects.get()
    with pytest.raises(ValidationError, match="what follows"):
        services.flag_handle(user=helper, rating=rating, outcome="", version=1)
    with pytest.raises(ValidationError, match="why nothing follows"):
        services.flag_handle(user=helper, rating=rating, outcome="none", reason=" ", version=1)
    services.flag_handle(
        user=helper, rating=rating, outcome="none", reason="Known: the family moved.", version=1
    )
    rating.refresh_from_db()
    assert rating.outcome == "none" and rating.handled_by == helper and rating.version == 2
    # The educator and the lead may not end a flag.
    for role in (Role.EDUCATOR, Role.INSTITUTION_LEAD):
        with pytest.raises(PermissionDenied):
            services.flag_handle(user=world.users[role], rating=rating, outcome="watch", version=2)


def test_a_stale_flag_handling_is_refused(world):
    helper, supervisor = world.users[Role.SOCIAL_HELPER], world.users[Role.SUPERVISOR]
    round_ = a_round(world)
    rate(world, round_, world.inside, safety=2)
    rating = Rating.objects.get()
    services.flag_handle(user=supervisor, rating=rating, outcome="watch", version=1)
    late = Rating.objects.get()
    with pytest.raises(StaleVersionError):
        services.flag_handle(user=helper, rating=late, outcome="group", version=1)
    late.refresh_from_db()
    assert late.outcome == "watch" and late.handled_by == supervisor


def test_the_round_is_complete_only_when_closed_and_every_flag_handled(world):
    helper = world.users[Role.SOCIAL_HELPER]
    round_ = a_round(world)
    second = classmate(world)
    rate(world, round_, world.inside, safety=2)
    services.ratings_save(
        user=world.users[Role.EDUCATOR], round_=round_, group=world.class_a1,
        rows=[services.RowInput(child_id=second.pk, answers=answers(mood=1, care=1))],
        finish=True,
    )  # fmt: skip
    assert round_.round_groups.get().finished_at is not None
    first, other = Rating.objects.order_by("pk")
    services.flag_handle(user=helper, rating=first, outcome="watch", version=1)
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN  # still open: more ratings may come
    services.round_close(user=helper, round_=round_, version=round_.version)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    services.flag_handle(user=helper, rating=other, outcome="wellbeing_conversation", version=1)
    round_.refresh_from_db()
    assert round_.status == Round.Status.COMPLETE
    # A round without any open flag is complete as soon as it closes.
    empty = a_round(world)
    services.round_close(user=helper, round_=empty, version=empty.version)
    assert empty.status == Round.Status.COMPLETE


def test_links_must_fit_the_outcome_and_the_child(world):
    from earlyhelp.concerns.models import Concern

    helper = world.users[Role.SOCIAL_HELPER]
    round_ = a_round(world)
    rate(world, round_, world.inside, safety=2)
    rating = Rating.objects.get()
    concern = Concern.objects.create(
        municipality=world.municipality_a, institution=world.school_a1,
        reporter=world.users[Role.EDUCATOR], status=Concern.Status.SUBMITTED,
        received_at=timezone.now(), what_happened="Bruises.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="about this child"):
        services.flag_handle(
            user=helper, rating=rating, outcome="concern", concern=concern, version=1
        )
    concern.children.create(child=world.inside, role="harmed")
    with pytest.raises(ValidationError, match="fits what follows"):
        services.flag_handle(
            user=helper, rating=rating, outcome="watch", concern=concern, version=1
        )
    services.flag_handle(user=helper, rating=rating, outcome="concern", concern=concern, version=1)
    assert Rating.objects.get().concern == concern


def test_opening_a_round(world):
    helper = world.users[Role.SOCIAL_HELPER]
    shipped = Instrument.objects.get(municipality__isnull=True)
    today = timezone.localdate()
    made = services.round_open(
        user=helper, title="Autumn term", instrument=shipped, groups=[world.class_a1],
        opens_on=today, closes_on=today + dt.timedelta(days=14),
    )  # fmt: skip
    assert made.institution == world.school_a1 and list(made.groups.all()) == [world.class_a1]
    with pytest.raises(ValidationError, match="one institution"):
        services.round_open(
            user=helper, title="Mixed", instrument=shipped,
            groups=[world.class_a1, world.class_a2], opens_on=today, closes_on=today,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # A2 is not the helper's
        services.round_open(
            user=helper, title="A2", instrument=shipped, groups=[world.class_a2],
            opens_on=today, closes_on=today,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_open(
            user=world.users[Role.EDUCATOR], title="Mine", instrument=shipped,
            groups=[world.class_a1], opens_on=today, closes_on=today,
        )  # fmt: skip


def test_the_command_closes_rounds_past_their_day(world):
    due = a_round(world, closes_on=timezone.localdate() - dt.timedelta(days=1))
    rate_later = a_round(world)
    f.RatingFactory(round=due, child=world.inside, group=world.class_a1)
    out = io.StringIO()
    call_command("close_screening_rounds", stdout=out)
    assert out.getvalue().startswith("1 ")
    due.refresh_from_db()
    rate_later.refresh_from_db()
    assert due.status == Round.Status.CLOSED  # one flag open
    assert rate_later.status == Round.Status.OPEN
