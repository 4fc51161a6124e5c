"""Signs of Safety in a case: the map keeps what it held, statements are rewritten as versions
and never lost to a second writer, and each person's scaling answers make a line."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.core.tests.svg import assert_drawn_for_every_language
from earlyhelp.organisations.models import Role
from earlyhelp.safety import selectors, services

pytestmark = pytest.mark.django_db


def test_the_three_columns_and_a_withdrawn_item_that_stays_on_record(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    add = reverse("safety:mapping_add", args=[case.pk])
    client.post(add, {"category": "danger", "text": "Dad may hit Bence when he drinks."})
    client.post(add, {"category": "strength", "text": "Grandmother takes Bence after school."})
    refused = client.post(add, {"category": "strength", "text": " "})
    assert refused.status_code == 400
    columns = {c["column"].value: c for c in selectors.mapping(case=case)}
    worried = [i.text for cat in columns["worried"]["categories"] for i in cat["items"]]
    assert worried == ["Dad may hit Bence when he drinks."]
    item = case.mapping_items.get(category="strength")
    client.post(reverse("safety:mapping_withdraw", args=[case.pk, item.pk]))
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    working = [i for cat in selectors.mapping(case=case)[1]["categories"] for i in cat["items"]]
    assert working == []
    assert case.chronology.filter(kind="safety").count() == 3


def test_statements_are_versions_and_a_second_writer_is_refused_with_the_text_kept(
    world, signed_in
):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    services.statement_write(user=helper, case=case, kind="danger", text="First.", based_on=0)
    services.statement_write(user=helper, case=case, kind="danger", text="Second.", based_on=1)
    with pytest.raises(ValidationError, match="newer version"):
        services.statement_write(user=helper, case=case, kind="danger", text="Late.", based_on=1)
    found = selectors.statements(case=case)["danger"]
    assert found["current"].text == "Second." and [s.text for s in found["earlier"]] == ["First."]
    client = signed_in(helper)
    response = client.post(
        reverse("safety:statement", args=[case.pk]),
        {"kind": "danger", "text": "My late rewrite.", "based_on": 1},
    )
    assert response.status_code == 400
    assert "My late rewrite." in response.content.decode()
    assert case.statements.filter(kind="danger").count() == 2


def test_scaling_answers_draw_one_line_per_person(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    today = timezone.localdate()
    answers = [
        (30, "parent", "Anya", 3),
        (30, "worker", "Hanna", 2),
        (5, "parent", "Anya", 6),
        (5, "worker", "Hanna", 5),
    ]
    for days, who, name, score in answers:
        services.scaling_answer(
            user=helper, case=case, respondent=who, respondent_name=name, score=score,
            answered_on=today - dt.timedelta(days=days),
        )  # fmt: skip
    chart = selectors.scaling(case=case)
    lines = {line.name: [a.score for a in line.answers] for line in chart["series"]}
    assert lines == {"Anya": [3, 6], "Hanna": [2, 5]}
    anya = chart["chart"].lines[0]
    assert float(anya.dots[1].cy) < float(anya.dots[0].cy)  # a higher score is drawn higher
    with pytest.raises(ValidationError):
        services.scaling_answer(
            user=helper, case=case, respondent="parent", respondent_name="Anya", score=11,
            answered_on=today,
        )  # fmt: skip
    page = signed_in(helper).get(reverse("safety:page", args=[case.pk])).content.decode()
    assert "<svg" in page and "3 → 6" in page


def test_a_closed_case_takes_no_more_and_an_educator_sees_none(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    services.mapping_add(user=helper, case=case, category="safety", text="A neighbour checks in.")
    case.status = "closed"
    case.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="closed"):
        services.mapping_add(user=helper, case=case, category="safety", text="More.")
    educator = signed_in(world.users[Role.EDUCATOR])
    assert educator.get(reverse("safety:page", args=[case.pk])).status_code == 404


def test_the_childs_three_houses_with_a_drawing(world, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from earlyhelp.core.tests import samples

    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    add = reverse("safety:three_houses", args=[case.pk])
    today = timezone.localdate().isoformat()
    empty = client.post(add, {"child": world.inside.pk, "held_on": today})
    assert empty.status_code == 400 and "at least one house" in empty.content.decode()
    drawing = SimpleUploadedFile("houses.png", samples.png(), content_type="image/png")
    response = client.post(
        add,
        {
            "child": world.inside.pk,
            "held_on": today,
            "worries": "Amikor apa kiabál.",
            "good_things": "A nagymama palacsintája.",
            "dreams": "Focista leszek.",
            "drawing": drawing,
        },
    )
    assert response.status_code == 302
    houses = case.three_houses.get()
    assert houses.drawing_type == "image/png" and houses.dreams == "Focista leszek."
    got = client.get(reverse("safety:drawing", args=[case.pk, houses.pk]))
    assert got.status_code == 200 and got["Cache-Control"] == "no-store"
    assert got["Content-Disposition"] == f'attachment; filename="three-houses-{houses.pk}.png"'
    page = client.get(reverse("safety:page", args=[case.pk])).content.decode()
    assert "A nagymama palacsintája." in page


def test_the_safety_network_and_its_rules(world):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    grandmother = services.network_add(
        user=helper, case=case, name="Nagymama", relation="grandmother", contact="+36 30 123",
        agreed="Takes Bence after school every day.",
    )  # fmt: skip
    rule = services.rule_add(
        user=helper, case=case, text="Dad does not drink at home.", holder=grandmother,
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    assert rule.holder == grandmother
    other = _open(world, title="Another")
    stranger = services.network_add(
        user=helper, case=other, name="Szomszéd", relation="neighbour", contact="", agreed=""
    )
    with pytest.raises(ValidationError, match="network"):
        services.rule_add(
            user=helper, case=case, text="x", holder=stranger,
            review_on=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="review date"):
        services.rule_add(
            user=helper, case=case, text="x", holder=grandmother,
            review_on=timezone.localdate() - dt.timedelta(days=1),
        )  # fmt: skip


def _meeting_data(world, **changes):
    data = {
        "institution": world.school_a1.pk,
        "held_on": timezone.localdate().isoformat(),
        "topic": "A pupil of 1.a who comes hungry",
        "participants": "Class teacher\nSchool nurse",
        "worried": "Hungry three days a week.",
        "working": "Talks to the teacher.",
        "needs": "Talk with the parents.",
        "scale": "5",
        "next_steps": "The teacher talks with the mother by Friday.",
    }
    data.update(changes)
    return data


def test_a_meeting_without_a_case_is_recorded_changed_and_linked_later(world, signed_in):
    from earlyhelp.safety.models import SafetyMeeting

    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(reverse("safety:meeting_new"), _meeting_data(world))
    meeting = SafetyMeeting.objects.get()
    assert response.status_code == 302 and meeting.facilitator == world.users[Role.SOCIAL_HELPER]
    assert meeting.scale == 5 and meeting.case is None
    case = _open(world)
    url = reverse("safety:meeting", args=[meeting.pk])
    client.post(url, _meeting_data(world, case=case.pk, version=meeting.version))
    meeting.refresh_from_db()
    assert meeting.case == case and meeting.version == 2
    assert case.chronology.filter(kind="safety", title__contains="meeting linked").count() == 1
    stale = client.post(url, _meeting_data(world, scale="7", version=1))
    assert stale.status_code == 200 and "Someone else changed" in stale.content.decode()
    meeting.refresh_from_db()
    assert meeting.scale == 5
    # The institution's lead reads it; an educator and another municipality's helper do not.
    lead_page = signed_in(world.users[Role.INSTITUTION_LEAD]).get(url)
    assert lead_page.status_code == 200 and b"Talk with the parents." in lead_page.content
    from earlyhelp.audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        object_type="safety.safetymeeting",
        action="view",
        actor_id=world.users[Role.INSTITUTION_LEAD].pk,
    ).exists()
    assert signed_in(world.users[Role.EDUCATOR]).get(url).status_code == 404
    assert signed_in(world.outsiders[Role.SOCIAL_HELPER]).get(url).status_code == 404


def test_a_meeting_is_recorded_once_it_took_place_and_names_the_worry(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = client.post(reverse("safety:meeting_new"), _meeting_data(world, held_on=future))
    assert refused.status_code == 200 and "once it has taken place" in refused.content.decode()
    assert "A pupil of 1.a who comes hungry" in refused.content.decode()
    other = client.post(
        reverse("safety:meeting_new"), _meeting_data(world, institution=world.school_b1.pk)
    )
    assert other.status_code == 200  # not one of the helper's institutions: the form says so


def test_the_scaling_chart_draws_a_single_answer_in_hungarian_and_czech(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    services.scaling_answer(
        user=helper, case=case, respondent="parent", respondent_name="Anya", score=4,
        answered_on=timezone.localdate(),
    )  # fmt: skip
    client = signed_in(helper)
    url = reverse("safety:page", args=[case.pk])
    assert_drawn_for_every_language(
        lambda language: client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    )
    page = client.get(url).content.decode()
    assert 'viewBox="0 0 400 240"' in page and 'width="100%"' in page
    assert "chart__legend" in page and "Anya" in page and "): 4" in page


def test_the_case_page_loads_the_signs_of_safety_tools_as_a_section(world, signed_in):
    from earlyhelp.audit.models import AuditEvent

    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    services.mapping_add(user=helper, case=case, category="danger", text="Dad drinks at night.")
    services.statement_write(
        user=helper, case=case, kind="goal", text="Bence sleeps safe.", based_on=0
    )
    today = timezone.localdate()
    for days, score in ((20, 3), (2, 6)):
        services.scaling_answer(
            user=helper, case=case, respondent="parent", respondent_name="Anya", score=score,
            answered_on=today - dt.timedelta(days=days),
        )  # fmt: skip
    case.network.create(name="Nagymama", relation="grandmother", added_by=helper)
    client = signed_in(helper)
    url = reverse("safety:case_tools", args=[case.pk])
    # The case page holds the section's loader, shown once it scrolls into view; no tool yet.
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in page and "intersect once" in page
    assert "Dad drinks at night." not in page
    # htmx gets the section alone; a browser without JavaScript a whole page around it.
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert "Dad drinks at night." in body and "Bence sleeps safe." in body
    assert "<svg" in body and "Anya (Parent): 6" in body and "Nagymama" in body
    assert "Anya (Parent): 3 on" not in body  # only each person's latest answer in words
    full = client.get(url)
    assert full.status_code == 200 and b"<html" in full.content
    assert f'href="{case.get_absolute_url()}#safety"'.encode() in full.content
    reads = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), purpose="signs of safety summary"
    )
    assert reads.count() == 2 and {e.action for e in reads} == {"view"}
    # Outside the case's scope, the section is not there.
    assert signed_in(world.users[Role.EDUCATOR]).get(url).status_code == 404
