"""The screening pages as people use them: the educator rates a class child by child (or the
whole class in one save), the
social helper sees the flagged children and ends each flag, the lead follows the progress
without names, and a manager reads the figures with small cells hidden."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.screening.models import Instrument, Rating, Round
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db

CODES = ["mood", "belonging", "care", "attendance", "behaviour", "learning", "safety"]


def a_round(world, **kwargs):
    return f.RoundFactory(
        institution=world.school_a1,
        created_by=world.users[Role.SOCIAL_HELPER],
        groups=[world.class_a1],
        **kwargs,
    )


def fill_class(world, size: int) -> list:
    children = []
    for n in range(size):
        child = f.ChildFactory(
            municipality=world.municipality_a, given_name=f"Pupil{n:02d}", family_name="Kiss"
        )
        f.EnrolmentFactory(child=child, group=world.class_a1)
        children.append(child)
    return children


def row(child, version=0, **answers) -> dict:
    data = {f"v{child.pk}": version}
    for code in CODES:
        data[f"r{child.pk}-{code}"] = answers.get(code, 0)
    return data


def test_an_educator_rates_25_children_in_one_save(world, signed_in):
    round_ = a_round(world)
    children = fill_class(world, 24) + [world.inside]
    url = reverse("screening:rate", args=[round_.pk, world.class_a1.pk])
    client = signed_in(world.users[Role.EDUCATOR])
    page = client.get(url).content.decode()
    assert world.inside.family_name in page and world.secret.family_name not in page
    # A menu of the sheet's children jumps to each child's ratings.
    assert 'aria-label="Children on this sheet"' in page
    assert all(f'href="#child-{child.pk}"' in page for child in children)
    data = {}
    for n, child in enumerate(children):
        data.update(row(child, safety=2 if n < 3 else 0))
    data[f"c{children[0].pk}"] = "Says she is hungry in the mornings."
    response = client.post(url, data)
    assert response.status_code == 302
    assert Rating.objects.filter(round=round_).count() == 25
    assert Rating.objects.filter(round=round_, flagged=True).count() == 3
    assert Rating.objects.get(child=children[0]).comment == "Says she is hungry in the mornings."
    # Saving again updates; "the class is done" marks the class.
    data.update(row(children[5], version=1, mood=1, care=1))
    data["finish"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == round_.get_absolute_url()
    assert Rating.objects.get(child=children[5]).flagged
    assert round_.round_groups.get().finished_at is not None
    assert AuditEvent.objects.filter(
        action="list", object_type="screening.rating", purpose="screening class sheet"
    ).exists()


def test_the_class_sheet_costs_the_same_queries_for_3_or_30_children(world, signed_in):
    round_ = a_round(world)
    url = reverse("screening:rate", args=[round_.pk, world.class_a1.pk])
    client = signed_in(world.users[Role.EDUCATOR])
    fill_class(world, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for child in fill_class(world, 27):
        f.RatingFactory(round=round_, child=child, group=world.class_a1)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    # One line per child until opened: no radio button on the sheet itself.
    body = page.content.decode()
    assert body.count('class="sheet__row"') == 30 and 'type="radio"' not in body
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_a_stale_row_keeps_what_was_typed(world, signed_in):
    round_ = a_round(world)
    f.RatingFactory(round=round_, child=world.inside, group=world.class_a1, comment="Theirs.")
    url = reverse("screening:rate", args=[round_.pk, world.class_a1.pk])
    client = signed_in(world.users[Role.EDUCATOR])
    data = row(world.inside, version=0, mood=1)
    data[f"c{world.inside.pk}"] = "Mine, typed late."
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved ratings" in page and "Mine, typed late." in page
    assert "Theirs." in page  # what they saved, shown beside what was typed
    assert Rating.objects.get().comment == "Theirs."
    # The sheet now carries their version: saving again replaces theirs, knowingly.
    data[f"v{world.inside.pk}"] = 1
    assert client.post(url, data).status_code == 302
    assert Rating.objects.get().comment == "Mine, typed late."


def test_a_closed_round_shows_the_sheet_without_saving(world, signed_in):
    round_ = a_round(world, closes_on=timezone.localdate() - dt.timedelta(days=1))
    url = reverse("screening:rate", args=[round_.pk, world.class_a1.pk])
    client = signed_in(world.users[Role.EDUCATOR])
    page = client.get(url).content.decode()
    assert "can no longer be changed" in page and 'name="finish"' not in page
    response = client.post(url, row(world.inside))
    assert response.status_code == 400 and not Rating.objects.exists()
    round_.refresh_from_db()
    assert round_.status == Round.Status.COMPLETE


def test_the_helper_sees_the_flags_and_ends_them_and_the_lead_sees_no_names(world, signed_in):
    round_ = a_round(world)
    rating = f.RatingFactory(
        round=round_, child=world.inside, group=world.class_a1, comment="Cries at lunch."
    )
    earlier = f.RoundFactory(
        institution=world.school_a1, groups=[world.class_a1],
        opens_on=timezone.localdate() - dt.timedelta(days=200),
        closes_on=timezone.localdate() - dt.timedelta(days=180), status="complete",
    )  # fmt: skip
    f.RatingFactory(
        round=earlier, child=world.inside, group=world.class_a1,
        answers=dict.fromkeys(CODES, 0), worry=0, flagged=False,
    )  # fmt: skip
    url = round_.get_absolute_url()
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    page = helper.get(url).content.decode()
    assert world.inside.family_name in page and "Cries at lunch." in page
    assert "Worry score across rounds" in page and "<polyline" in page and "0 → 2" in page
    assert AuditEvent.objects.filter(purpose="screening flags", action="list").exists()

    flag = reverse("screening:flag", args=[round_.pk, rating.pk])
    assert signed_in(world.users[Role.INSTITUTION_LEAD]).get(flag).status_code == 403
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    form = helper.get(flag).content.decode()
    assert "Cries at lunch." in form and "Worry score across rounds" in form
    assert AuditEvent.objects.filter(
        action="view", purpose="screening flag", subject=f"people.child:{world.inside.pk}"
    ).exists()
    refused = helper.post(flag, {"outcome": "none", "version": 1, "reason": ""})
    assert refused.status_code == 400 and "Write why nothing follows" in refused.content.decode()
    done = helper.post(flag, {"outcome": "watch", "version": 1})
    assert done.status_code == 302
    rating.refresh_from_db()
    assert rating.outcome == "watch"
    helper.post(reverse("screening:close", args=[round_.pk]), {"version": round_.version})
    round_.refresh_from_db()
    assert round_.status == Round.Status.COMPLETE
    assert "the round is complete" in helper.get(url).content.decode()

    lead = signed_in(world.users[Role.INSTITUTION_LEAD]).get(url).content.decode()
    assert world.inside.family_name not in lead and "Cries at lunch." not in lead
    assert "1 of 1" in lead  # one of the class's visible children rated


def test_a_stale_flag_form_keeps_the_reason(world, signed_in):
    round_ = a_round(world)
    rating = f.RatingFactory(round=round_, child=world.inside, group=world.class_a1)
    Rating.objects.filter(pk=rating.pk).update(version=2, outcome="watch")
    response = signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("screening:flag", args=[round_.pk, rating.pk]),
        {"outcome": "none", "version": 1, "reason": "Already in a group elsewhere."},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this record" in page and "Already in a group elsewhere." in page


def test_the_movement_of_a_class(world, signed_in):
    today = timezone.localdate()
    first = a_round(world, opens_on=today - dt.timedelta(days=200), title="Spring")
    second = a_round(world, title="Autumn")
    children = fill_class(world, 4)
    for n, child in enumerate(children):
        f.RatingFactory(round=first, child=child, group=world.class_a1)  # all flagged
        if n == 0:
            f.RatingFactory(round=second, child=child, group=world.class_a1)
        else:
            f.RatingFactory(
                round=second, child=child, group=world.class_a1,
                answers=dict.fromkeys(CODES, 0), worry=0, flagged=False,
            )  # fmt: skip
    page = (
        signed_in(world.users[Role.EDUCATOR])
        .get(reverse("screening:movement", args=[second.pk, world.class_a1.pk]))
        .content.decode()
    )
    assert "<svg" in page and "100 %" in page and "25 %" in page
    table = page[page.index("<tbody") :]
    assert table.index("Spring") < table.index("Autumn")


def test_the_overview_hides_small_cells_from_the_manager(world, signed_in):
    round_ = a_round(world)
    children = fill_class(world, 20)
    for n, child in enumerate(children):
        f.RatingFactory(
            round=round_, child=child, group=world.class_a1,
            answers=dict.fromkeys(CODES, 2 if n < 3 else 0),
            worry=14 if n < 3 else 0, flagged=n < 3,
        )  # fmt: skip
    url = reverse("screening:overview")
    manager = signed_in(world.users[Role.MANAGER]).get(url).content.decode()
    assert "fewer than 5" in manager and "15 %" not in manager
    assert world.school_a1.name in manager
    assert world.school_b1.name not in manager
    helper = signed_in(world.users[Role.SOCIAL_HELPER]).get(url).content.decode()
    assert "fewer than 5" not in helper and "15 %" in helper
    assert "Counted from the ratings at" in helper  # counted as the page is read


def test_a_helper_opens_a_round(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    form = client.get(reverse("screening:round_new")).content.decode()
    assert world.class_a1.name in form and world.class_a2.name not in form
    today = timezone.localdate()
    response = client.post(
        reverse("screening:round_new"),
        {
            "title": "Autumn term",
            "groups": [world.class_a1.pk],
            "instrument": Instrument.objects.get(municipality__isnull=True).pk,
            "opens_on": today.isoformat(),
            "closes_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200 and "closes before it opens" in response.content.decode()
    assert "Autumn term" in response.content.decode()
    response = client.post(
        reverse("screening:round_new"),
        {
            "title": "Autumn term",
            "groups": [world.class_a1.pk],
            "instrument": Instrument.objects.get(municipality__isnull=True).pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=14)).isoformat(),
        },
    )
    made = Round.objects.get()
    assert response.status_code == 302 and response.url == made.get_absolute_url()
    listing = signed_in(world.users[Role.EDUCATOR]).get(reverse("screening:rounds"))
    assert "Autumn term" in listing.content.decode()


def test_a_flag_on_a_restricted_record_is_counted_but_not_shown(world, signed_in):
    round_ = a_round(world)
    f.RatingFactory(round=round_, child=world.secret, group=world.class_a1, comment="Hidden.")
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    page = helper.get(round_.get_absolute_url()).content.decode()
    assert world.secret.family_name not in page and "Hidden." not in page
    assert "restricted record you cannot see" in page
    rating = Rating.objects.get()
    assert helper.get(reverse("screening:flag", args=[round_.pk, rating.pk])).status_code == 404


def test_a_municipality_screens_with_its_own_scale_instrument(world, signed_in):
    admin = signed_in(world.users[Role.ADMIN])
    add = reverse("admin:screening_instrument_add")
    data = {
        "municipality": world.municipality_a.pk, "code": "termly", "name": "Termly check",
        "scale": "scale", "amber_flags": 2, "active": "on",
        "items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 0, "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        "items-0-position": 0, "items-0-code": "joy", "items-0-text": "Shows joy in class",
        "items-1-position": 1, "items-1-code": "friends", "items-1-text": "",
    }  # fmt: skip
    refused = admin.post(add, data)
    assert refused.status_code == 200 and "Write the question" in refused.content.decode()
    data["items-1-text"] = "Has a friend"
    assert admin.post(add, data).status_code == 302
    own = Instrument.objects.get(code="termly")
    assert [str(item) for item in own.items.all()] == ["Shows joy in class", "Has a friend"]

    round_ = a_round(world, instrument=own)
    educator = signed_in(world.users[Role.EDUCATOR])
    url = reverse("screening:rate", args=[round_.pk, world.class_a1.pk])
    opened = reverse("screening:rate_child", args=[round_.pk, world.class_a1.pk, world.inside.pk])
    page = educator.get(opened).content.decode()
    assert page.count('type="radio"') == 2 * 5 and "Shows joy in class" in page
    v = world.inside.pk
    assert educator.post(url, {f"v{v}": 0, f"r{v}-joy": 2, f"r{v}-friends": 5}).status_code == 302
    rating = Rating.objects.get()
    assert rating.flagged and rating.worry == 2


# --- One child at a time -----------------------------------------------------------------------


def child_url(round_, child, world) -> str:
    return reverse("screening:rate_child", args=[round_.pk, world.class_a1.pk, child.pk])


def test_the_sheet_is_one_line_per_child_and_each_child_opens_and_saves_alone(world, signed_in):
    round_ = a_round(world)
    others = fill_class(world, 2)
    client = signed_in(world.users[Role.EDUCATOR])
    sheet_url = reverse("screening:rate", args=[round_.pk, world.class_a1.pk])
    url = child_url(round_, world.inside, world)
    sheet = client.get(sheet_url).content.decode()
    assert f'hx-get="{url}"' in sheet and f'href="{url}"' in sheet
    assert f'id="child-{world.inside.pk}"' in sheet and "not rated yet" in sheet
    # htmx gets the child's form alone, read through the policy and audited for the child.
    form = client.get(url, HTTP_HX_REQUEST="true")
    body = form.content.decode()
    assert form.status_code == 200 and "<html" not in body
    assert body.count('type="radio"') == 7 * 3 and f'hx-post="{url}"' in body
    assert others[0].given_name not in body  # the other children stay on the sheet
    assert AuditEvent.objects.filter(
        action="view", object_type="people.child", object_id=str(world.inside.pk),
        purpose="screening rating",
    ).exists()  # fmt: skip
    # Saving posts this child only; htmx gets the child's line back, flagged.
    data = row(world.inside, safety=2)
    data[f"c{world.inside.pk}"] = "Afraid to go home."
    saved = client.post(url, data, HTTP_HX_REQUEST="true")
    line = saved.content.decode()
    assert saved.status_code == 200 and 'class="sheet__row"' in line and "Saved." in line
    assert "flagged for the social helper" in line
    rating = Rating.objects.get(round=round_)
    assert rating.child == world.inside and rating.flagged and rating.version == 1
    assert AuditEvent.objects.filter(action="create", object_type="screening.rating").count() == 1
    # Without JavaScript the child's page returns to the sheet at the child.
    response = client.post(url, {**row(world.inside, version=1, mood=1), f"c{world.inside.pk}": ""})
    assert response.status_code == 302
    assert response.url == f"{sheet_url}#child-{world.inside.pk}"
    rating.refresh_from_db()
    assert rating.answers["mood"] == 1 and rating.version == 2
    page = client.get(url)
    assert page.status_code == 200 and b"<html" in page.content
    assert f'href="{sheet_url}#child-{world.inside.pk}"'.encode() in page.content


def test_a_stale_child_form_shows_theirs_and_keeps_what_was_typed(world, signed_in):
    round_ = a_round(world)
    theirs = f.RatingFactory(
        round=round_, child=world.inside, group=world.class_a1, comment="Theirs."
    )
    client = signed_in(world.users[Role.EDUCATOR])
    url = child_url(round_, world.inside, world)
    data = row(world.inside, version=0, mood=2)
    data[f"c{world.inside.pk}"] = "Mine, typed late."
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved ratings" in page and "Mine, typed late." in page
    assert "Theirs." in page and f'name="v{world.inside.pk}" value="{theirs.version}"' in page
    theirs.refresh_from_db()
    assert theirs.comment == "Theirs." and theirs.version == 1
    # htmx gets the same form in place (a refused answer would not be put in place).
    again = client.post(url, data, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "Mine, typed late." in again.content.decode()
    # Saving with their version replaces theirs, knowingly.
    data[f"v{world.inside.pk}"] = theirs.version
    assert client.post(url, data).status_code == 302
    assert Rating.objects.get().comment == "Mine, typed late."


def test_a_child_form_answers_garbage_with_a_message_and_writes_nothing(world, signed_in):
    round_ = a_round(world)
    client = signed_in(world.users[Role.EDUCATOR])
    url = child_url(round_, world.inside, world)
    v = world.inside.pk
    for data in (
        {},
        {f"v{v}": "x", f"r{v}-mood": "lots", f"c{v}": "Only a comment."},
        {f"v{v}": "-1", f"r{v}-mood": "7", f"r{v}-care": "0"},
        {**row(world.inside), f"c{v}": "x" * 600},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert "Nothing was saved" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_refused_child_form_writes_nothing(world, signed_in):
    round_ = a_round(world)
    url = child_url(round_, world.inside, world)
    data = row(world.inside)
    for role in (Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER):
        assert signed_in(world.users[role]).post(url, data).status_code == 403
    assert signed_in(world.outsiders[Role.EDUCATOR]).post(url, data).status_code == 404
    educator = signed_in(world.users[Role.EDUCATOR])
    # A child of another class, or with the consent to screening withdrawn, is not on the sheet.
    other = reverse("screening:rate_child", args=[round_.pk, world.class_a1.pk, world.abroad.pk])
    assert educator.post(other, row(world.abroad)).status_code == 404
    f.ConsentFactory(
        child=world.inside, purpose="screening",
        given_on=timezone.localdate() - dt.timedelta(days=30),
        withdrawn_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    assert educator.post(url, data).status_code == 404
    assert not Rating.objects.exists()


def test_a_closed_round_shows_a_child_without_saving(world, signed_in):
    round_ = a_round(world, closes_on=timezone.localdate() - dt.timedelta(days=1))
    client = signed_in(world.users[Role.EDUCATOR])
    url = child_url(round_, world.inside, world)
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "does not take ratings now" in page and "disabled" in page
    response = client.post(url, row(world.inside))
    assert response.status_code == 400 and "can no longer be changed" in response.content.decode()
    assert not Rating.objects.exists()
