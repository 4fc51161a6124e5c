"""Team case discussions across cases: attendance is seen by the participants, their line
supervisors and the administration; a discussed case is shown only to those who may open it
(to anybody else it is "a case you cannot open", never its number or title); what each
participant learnt is recorded by them or a keeper; the count per worker adds the
discussions held inside one case."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases.models import CaseConference
from earlyhelp.cases.tests.access_expectations import make_case
from earlyhelp.organisations.models import Role
from earlyhelp.workforce.models import DiscussedItem, DiscussionLearning, TeamDiscussion
from earlyhelp.workforce.selectors import discussion_counts
from earlyhelp.workforce.tests.builders import discussion, helper_profile, profile_of

pytestmark = pytest.mark.django_db

HIDDEN = "case you cannot open"


def test_a_case_is_named_only_to_those_who_may_open_it(world, signed_in):
    case = make_case(world, True)
    case.title = "Kovács family"
    case.save()
    made = discussion(world, True, cases=[case])
    # The social helper is on the case's team: they see it named.
    html = (
        signed_in(world.users[Role.SOCIAL_HELPER])
        .get(reverse("workforce:discussion", args=[made.pk]))
        .content.decode()
    )
    assert "Kovács family" in html and HIDDEN not in html
    assert "A pupil who stopped eating lunch" in html
    # The administrator keeps the discussion but opens no case: neither its title nor number.
    html = (
        signed_in(world.users[Role.ADMIN])
        .get(reverse("workforce:discussion", args=[made.pk]))
        .content.decode()
    )
    assert "Kovács family" not in html and f"#{case.pk}" not in html
    assert f"1 {HIDDEN}" in html
    assert "A pupil who stopped eating lunch" in html


def test_the_supervisor_records_a_discussion_of_cases_and_situations(world, signed_in):
    case = make_case(world, True)
    helper = helper_profile(world, True)
    worker = profile_of(world.users[Role.CASE_WORKER])
    client = signed_in(world.users[Role.SUPERVISOR])
    answer = client.post(
        reverse("workforce:discussion_create"),
        {
            "held_on": date.today().isoformat(),
            "duration_minutes": "90",
            "facilitator": "The team lead",
            "participants": [helper.pk, worker.pk],
            "cases": [case.pk],
            "situations": "A child who hides at break.\n\nA parent who shouts at staff.",
        },
    )
    assert answer.status_code == 302
    made = TeamDiscussion.objects.get()
    assert set(made.participants.all()) == {helper, worker}
    items = DiscussedItem.objects.filter(discussion=made)
    assert items.filter(case=case).count() == 1
    assert sorted(items.exclude(situation="").values_list("situation", flat=True)) == [
        "A child who hides at break.",
        "A parent who shouts at staff.",
    ]


def test_a_case_the_recorder_cannot_open_is_refused(world, signed_in):
    case = make_case(world, False)  # in the other municipality
    client = signed_in(world.users[Role.SUPERVISOR])
    answer = client.post(
        reverse("workforce:discussion_create"),
        {
            "held_on": date.today().isoformat(),
            "duration_minutes": "60",
            "facilitator": "The team lead",
            "participants": [helper_profile(world, True).pk],
            "cases": [case.pk],
        },
    )
    assert answer.status_code == 200 and not TeamDiscussion.objects.exists()


def test_a_participant_records_what_they_learnt_only_for_themselves(world, signed_in):
    helper = helper_profile(world, True)
    worker = profile_of(world.users[Role.CASE_WORKER])
    made = discussion(world, True, participants=[helper, worker])
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("workforce:discussion_learning", args=[made.pk])
    assert client.post(url, {"participant": worker.pk, "text": "Not mine"}).status_code == 200
    assert not DiscussionLearning.objects.exists()
    assert client.post(url, {"participant": helper.pk, "text": "Ask earlier"}).status_code == 302
    learning = DiscussionLearning.objects.get()
    assert (learning.participant, learning.text) == (helper, "Ask earlier")
    # A stale change is refused and keeps what was typed.
    answer = client.post(url, {"participant": helper.pk, "text": "Later", "version": "0"})
    assert answer.status_code == 200 and "Later" in answer.content.decode()
    assert DiscussionLearning.objects.get().text == "Ask earlier"


def test_the_count_per_worker_adds_discussions_inside_a_case(world):
    helper = helper_profile(world, True)
    discussion(world, True, participants=[helper])
    discussion(world, True, participants=[helper], on=date(date.today().year - 1, 6, 1))
    case = make_case(world, True)
    conference = CaseConference.objects.create(
        case=case,
        kind=CaseConference.Kind.DISCUSSION,
        held_at=timezone.now(),
        agenda="Next steps",
        created_by=world.users[Role.CASE_WORKER],
    )
    conference.attendees.add(world.users[Role.SOCIAL_HELPER])
    family = CaseConference.objects.create(
        case=case,
        kind=CaseConference.Kind.CONFERENCE,
        held_at=timezone.now(),
        agenda="With the family",
        created_by=world.users[Role.CASE_WORKER],
    )
    family.attendees.add(world.users[Role.SOCIAL_HELPER])
    counts = {
        c.profile: c for c in discussion_counts(world.users[Role.SUPERVISOR], date.today().year)
    }
    assert (counts[helper].team, counts[helper].in_case, counts[helper].total) == (1, 1, 2)
    # Only the keepers of staff records see the count.
    assert discussion_counts(world.users[Role.MANAGER], date.today().year) == []
