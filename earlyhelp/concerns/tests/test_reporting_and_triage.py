"""A worry from the first report to triage, as the people involved live it."""

import re

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def report_data(world, **changes):
    data = {
        "institution": world.school_a1.pk,
        "what_happened": "Bence came without a coat again and said he was hungry.",
        "child_words": "Anya azt mondta, ma nincs vacsora.",
        "categories": ["neglect"],
        "parents_know": "no",
        "parents_not_told_why": "I could not reach them.",
        "feedback_requested": "on",
        "children-TOTAL_FORMS": "3",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "3",
        "children-MAX_NUM_FORMS": "6",
        "children-0-child": world.inside.pk,
        "children-0-role": "harmed",
        "children-1-role": "harmed",
        "children-2-role": "harmed",
    }
    data.update(changes)
    return data


def test_an_educator_reports_and_the_concern_gets_its_deadlines(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    response = client.post(reverse("concerns:report"), report_data(world, send="1"))
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:sent", args=[concern.pk])
    assert concern.status == Concern.Status.SUBMITTED
    assert concern.received_at and concern.profile is not None
    assert concern.deadlines.exists()
    assert list(concern.children.values_list("child_id", "role")) == [(world.inside.pk, "harmed")]
    assert concern.child_words == "Anya azt mondta, ma nincs vacsora."


def test_several_children_keep_their_own_roles(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    client.post(
        reverse("concerns:report"),
        report_data(
            world,
            send="1",
            **{"children-1-described_as": "Bence's sister, 2.b", "children-1-role": "sibling"},
        ),
    )
    roles = set(Concern.objects.get().children.values_list("role", flat=True))
    assert roles == {"harmed", "sibling"}


def test_an_incomplete_report_is_kept_as_a_draft_and_says_what_is_missing(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    response = client.post(
        reverse("concerns:report"),
        report_data(world, send="1", what_happened="", categories=[], parents_know=""),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Describe what you saw or heard." in page
    assert "Choose at least one thing" in page
    assert "Anya azt mondta" in page
    concern = Concern.objects.get()
    assert concern.status == Concern.Status.DRAFT


def test_autosave_keeps_a_draft_and_updates_its_version(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    first = client.post(
        reverse("concerns:report"),
        report_data(world, what_happened="Half a"),
        HTTP_HX_REQUEST="true",
    )
    concern = Concern.objects.get()
    assert 'id="id_draft"' in first.content.decode()
    client.post(
        reverse("concerns:report"),
        report_data(
            world, what_happened="Half a sentence", draft=concern.pk, version=concern.version
        ),
        HTTP_HX_REQUEST="true",
    )
    concern.refresh_from_db()
    assert concern.what_happened == "Half a sentence" and concern.status == "draft"
    assert Concern.objects.count() == 1


def test_a_child_outside_the_reporters_class_cannot_be_named(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    response = client.post(
        reverse("concerns:report"),
        report_data(world, send="1", **{"children-0-child": world.elsewhere.pk}),
    )
    assert response.status_code == 200
    assert not Concern.objects.exists()


def test_immediate_danger_goes_first_in_the_queue_and_tells_the_reporter_to_call(world, signed_in):
    educator = signed_in(world.users[Role.EDUCATOR])
    educator.post(reverse("concerns:report"), report_data(world, send="1"))
    response = educator.post(
        reverse("concerns:report"), report_data(world, send="1", immediate_danger="on"), follow=True
    )
    assert "call 112" in response.content.decode()
    queue = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("concerns:queue"))
    first = queue.context["page"].rows[0]
    assert first.immediate_danger


def _submitted(world, signed_in):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1")
    )
    return Concern.objects.get()


def test_the_social_helper_triages_with_a_reason(world, signed_in, client):
    concern = _submitted(world, signed_in)
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    helper.post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": "wellbeing_conversation", "reason": "", "version": concern.version},
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.SUBMITTED
    helper.post(
        reverse("concerns:decide", args=[concern.pk]),
        {
            "decision": "wellbeing_conversation",
            "reason": "Talk with Bence.",
            "version": concern.version,
        },
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.TRIAGED
    assert concern.decided_by == world.users[Role.SOCIAL_HELPER]
    assert AuditEvent.objects.filter(object_type="concerns.concern", action="change").exists()


def test_two_triagers_at_once_one_wins_and_the_other_is_told(world, signed_in):
    concern = _submitted(world, signed_in)
    stale = concern.version
    signed_in(world.users[Role.SUPERVISOR]).post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": "refer", "reason": "Serious.", "version": stale},
    )
    response = signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": "advice", "reason": "Minor.", "version": stale},
        follow=True,
    )
    concern.refresh_from_db()
    assert concern.decision == "refer"
    assert "Someone else triaged this concern" in response.content.decode()


def test_the_reporter_sees_status_but_not_the_decision_and_can_answer_questions(world, signed_in):
    concern = _submitted(world, signed_in)
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    helper.post(reverse("concerns:message", args=[concern.pk]), {"body": "When did it start?"})
    helper.post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": "refer", "reason": "Confidential reasoning.", "version": concern.version},
    )
    reporter = signed_in(world.users[Role.EDUCATOR])
    page = reporter.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "When did it start?" in page
    assert "Confidential reasoning." not in page
    assert "Refer to the statutory authority" not in page
    reporter.post(reverse("concerns:message", args=[concern.pk]), {"body": "Since October."})
    assert concern.messages.count() == 2


def test_the_lead_sees_the_institutions_concerns_by_status_only(world, signed_in):
    concern = _submitted(world, signed_in)
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    listing = lead.get(reverse("concerns:institution"))
    assert [c.pk for c in listing.context["page"].rows] == [concern.pk]
    page = lead.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "Bence came without a coat" not in page


def test_drafts_are_the_reporters_alone(world, signed_in):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, save="1")
    )
    concern = Concern.objects.get()
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    assert helper.get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
    assert not helper.get(reverse("concerns:queue")).context["page"].rows


def test_a_third_concern_about_a_household_raises_the_repeat_flag(world, signed_in):
    from earlyhelp.tests import factories as f

    sister = f.ChildFactory(
        municipality=world.municipality_a, given_name="Dóra", family_name="Szőke"
    )
    f.EnrolmentFactory(child=sister, group=world.class_a1)
    f.RelationshipFactory(child=sister, adult=world.parent_inside)
    educator = signed_in(world.users[Role.EDUCATOR])
    educator.post(reverse("concerns:report"), report_data(world, send="1"))
    educator.post(
        reverse("concerns:report"), report_data(world, send="1", **{"children-0-child": sister.pk})
    )
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    first = Concern.objects.order_by("pk").first()
    pattern = helper.get(reverse("concerns:detail", args=[first.pk])).context["pattern"]
    assert len(pattern.concerns) == 2 and not pattern.flagged
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"),
        report_data(world, send="1", what_happened="Bence was hungry again today."),
    )
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    page = helper.get(reverse("people:child_detail", args=[world.inside.pk]))
    assert page.context["pattern"].flagged
    assert "look at the pattern" in page.content.decode()


def test_send_racing_with_the_first_autosave_makes_one_concern(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    token = "f" * 32
    client.post(
        reverse("concerns:report"), report_data(world, form_token=token), HTTP_HX_REQUEST="true"
    )
    # The autosave's answer (with the draft id) never reached the page before "Send".
    response = client.post(
        reverse("concerns:report"), report_data(world, form_token=token, send="1")
    )
    assert response.status_code == 302
    assert Concern.objects.count() == 1
    assert Concern.objects.get().status == Concern.Status.SUBMITTED


def test_an_autosave_still_on_its_way_never_blocks_the_reporters_send(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(reverse("concerns:report"), report_data(world), HTTP_HX_REQUEST="true")
    concern = Concern.objects.get()
    stale = concern.version
    client.post(
        reverse("concerns:report"),
        report_data(world, draft=concern.pk, version=stale, what_happened="Later text"),
        HTTP_HX_REQUEST="true",
    )
    response = client.post(
        reverse("concerns:report"), report_data(world, draft=concern.pk, version=stale, send="1")
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.SUBMITTED


def _profiled(world, signed_in, key: str, **changes):
    """A concern received under the given country's profile."""
    from earlyhelp.protocols.models import Profile

    concern = _submitted(world, signed_in)
    for name, value in changes.items():
        setattr(concern, name, value)
    concern.profile = Profile.objects.filter(key=key).order_by("-version").first()
    concern.save()
    return concern


def _decide(world, signed_in, concern, **data):
    signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:decide", args=[concern.pk]),
        {"reason": "Assessed.", "version": concern.version, **data},
    )
    concern.refresh_from_db()
    return list(concern.feedback.values_list("kind", "measure"))


def test_dk_professional_is_told_receipt_and_that_a_measure_started(world, signed_in):
    concern = _profiled(world, signed_in, "DK")
    signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:acknowledge", args=[concern.pk]), {"version": concern.version}
    )
    concern.refresh_from_db()
    assert _decide(world, signed_in, concern, decision="case") == [
        ("acknowledged", ""),
        ("measure_started", ""),
    ]
    page = signed_in(world.users[Role.EDUCATOR]).get(reverse("concerns:detail", args=[concern.pk]))
    assert "An investigation or a measure was started." in page.content.decode()


def test_dk_private_notifier_is_told_nothing_further(world, signed_in):
    concern = _profiled(world, signed_in, "DK", reporter_kind="citizen")
    assert _decide(world, signed_in, concern, decision="case") == []


def test_cz_reporter_who_asked_is_told_only_whether_the_child_is_at_risk(world, signed_in):
    concern = _profiled(world, signed_in, "CZ")
    assert _decide(world, signed_in, concern, decision="refer") == []  # refused: answer needed
    assert concern.status == Concern.Status.SUBMITTED
    assert _decide(world, signed_in, concern, decision="refer", child_at_risk="yes") == [
        ("at_risk", "")
    ]
    assert not concern.deadlines.filter(code__startswith="feedback", met_at__isnull=True).exists()


def test_a_triaged_concern_is_closed_by_its_triager(world, signed_in):
    concern = _profiled(world, signed_in, "HU")
    assert _decide(world, signed_in, concern, decision="advice") == [("assessed", "")]
    signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:close", args=[concern.pk]), {"version": concern.version}
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED


def test_a_described_child_is_matched_to_their_record_by_the_triager(world, signed_in):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"),
        report_data(
            world,
            send="1",
            **{"children-1-described_as": "Máté, 3.b", "children-1-role": "sibling"},
        ),
    )
    concern = Concern.objects.get()
    link = concern.children.get(role="sibling")
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    page = helper.get(reverse("concerns:detail", args=[concern.pk]))
    # The helper reads only their own institution's records: Máté of A2 is not offered.
    assert world.elsewhere not in page.context["matchable"]
    helper.post(
        reverse("concerns:match_child", args=[concern.pk, link.pk]), {"child": world.elsewhere.pk}
    )
    link.refresh_from_db()
    assert link.child is None
    helper.post(
        reverse("concerns:match_child", args=[concern.pk, link.pk]), {"child": world.inside.pk}
    )
    link.refresh_from_db()
    assert link.child == world.inside


def test_a_refused_decision_keeps_the_chosen_decision_and_the_typed_reason(world, signed_in):
    """CZ: the reporter asked, so "was the child found at risk?" must be answered."""
    concern = _profiled(world, signed_in, "CZ")
    response = signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:decide", args=[concern.pk]),
        {
            "decision": "refer",
            "reason": "Modřiny na pažích, opakovaně.",
            "share_measure_type": "on",
            "version": concern.version,
        },
    )
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert form.data["decision"] == "refer"
    page = response.content.decode()
    assert "Modřiny na pažích, opakovaně." in page
    chosen = re.search(r'<input type="radio" name="decision" value="refer"[^>]*>', page).group(0)
    assert "checked" in chosen
    assert "checked" in re.search(r'<input[^>]*name="share_measure_type"[^>]*>', page).group(0)
    assert "whether the child was found to be at risk" in page
    concern.refresh_from_db()
    assert concern.status == Concern.Status.SUBMITTED


def test_a_draft_outside_the_users_scope_is_not_found(world, signed_in):
    """The edit page of someone else's draft answers 404, like every other page."""
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, save="1")
    )
    draft = Concern.objects.get()
    for role in (Role.MANAGER, Role.SUPERVISOR, Role.INSTITUTION_LEAD):
        page = signed_in(world.users[role]).get(reverse("concerns:edit", args=[draft.pk]))
        assert page.status_code == 404
