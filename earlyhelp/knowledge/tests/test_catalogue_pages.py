"""The catalogue's pages: the list finds entries by what they are, an entry's page shows all it
says and its history, and adding or changing an intervention writes a version (a stale change
is refused, keeping what was typed)."""

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.knowledge.catalogue import method_create, method_update
from earlyhelp.knowledge.models import EvidenceLevel, Method
from earlyhelp.knowledge.views.catalogue import source_lines
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _level(world, code, municipality=None):
    return EvidenceLevel.objects.get(municipality=municipality or world.municipality_a, code=code)


def _entry(world, name, outside=False, **data):
    return method_create(
        user=(world.outsiders if outside else world.users)[Role.SUPERVISOR],
        municipality=world.municipality_b if outside else world.municipality_a,
        data={"name": name, **data},
    )


def _names(response) -> set[str]:
    return {m.name for _kind, _label, _count, rows in response.context["kinds"] for m in rows}


@pytest.fixture
def catalogue(world):
    return {
        "club": _entry(
            world,
            "Parent club",
            setting=Method.Setting.FAMILY,
            stage=Method.Stage.TESTED,
            age_from=0,
            age_to=6,
            evidence_level=_level(world, "theory"),
            description="Parents meet every second week",
        ),  # fmt: skip
        "tutoring": _entry(
            world,
            "Homework café",
            setting=Method.Setting.SCHOOL,
            age_from=7,
            age_to=12,
            evidence_level=_level(world, "efficacy"),
        ),  # fmt: skip
        "retired": _entry(world, "Old drop-in", active=False),
        "stages": _entry(world, "Contact stages", kind=Method.Kind.CONTACT_STAGES),
        "elsewhere": _entry(world, "Rodičovská skupina", outside=True),
    }


def test_the_list_shows_the_municipalitys_entries_in_use_under_their_kind(
    world, signed_in, catalogue
):
    response = signed_in(world.users[Role.EDUCATOR]).get(reverse("knowledge:catalogue"))
    assert response.status_code == 200
    assert _names(response) == {"Parent club", "Homework café", "Contact stages"}
    kinds = {kind: count for kind, _label, count, _rows in response.context["kinds"]}
    assert kinds == {Method.Kind.INTERVENTION: 2, Method.Kind.CONTACT_STAGES: 1}
    assert response.context["total"] == 3
    stages = dict(response.context["stages"])
    assert stages[Method.Stage.TESTED.label] == 1
    assert stages[Method.Stage.IDEA.label] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "second week"}, {"Parent club"}),
        ({"setting": "school"}, {"Homework café"}),
        ({"stage": "tested"}, {"Parent club"}),
        ({"evidence": "efficacy"}, {"Homework café"}),
        ({"age": "9"}, {"Homework café", "Old drop-in", "Contact stages"}),
        ({"age": "9", "active": "yes"}, {"Homework café", "Contact stages"}),
        ({"active": "no"}, {"Old drop-in"}),
        ({"active": "all", "q": "DROP"}, {"Old drop-in"}),
    ],
)
def test_the_filters_narrow_the_list(world, signed_in, catalogue, query, expected):
    response = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("knowledge:catalogue"), {"active": "all", **query}
    )
    assert _names(response) == expected


def test_a_filter_that_was_not_offered_narrows_nothing(world, signed_in, catalogue):
    response = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("knowledge:catalogue"), {"setting": "moon", "age": "-4", "q": "a\x00b"}
    )
    assert response.status_code == 200
    assert _names(response) == {"Parent club", "Homework café", "Contact stages"}


def test_the_page_shows_evidence_with_its_meaning_safe_links_and_who_keeps_it(
    world, signed_in, catalogue
):
    helper = world.users[Role.SOCIAL_HELPER]
    club = catalogue["club"]
    method_update(
        user=world.users[Role.SUPERVISOR], method=club, version=1, responsible=[helper],
        data={"sources": "Handbook, 2023\nhttps://example.org/club javascript:alert(1)"},
    )  # fmt: skip
    world.municipality_a.activity_types.filter(code="parent_club").update(method=club)
    response = signed_in(world.users[Role.EDUCATOR]).get(
        reverse("knowledge:method", args=[club.pk])
    )
    html = response.content.decode()
    assert "Theory of change" in html
    assert "A stated logic model" in html
    assert '<a href="https://example.org/club"' in html
    assert 'href="javascript' not in html
    assert helper.get_full_name() in html
    assert [t.code for t in response.context["activity_types"]] == ["parent_club"]
    assert response.context["may_change"] is False


def test_source_lines_link_only_http_and_https():
    lines = source_lines("See https://a.example/x and ftp://b.example\n\nhttp://c.example")
    links = [href for line in lines for _text, href in line if href]
    assert links == ["https://a.example/x", "http://c.example"]


def test_a_supervisor_adds_an_intervention_with_its_first_version(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("knowledge:method_create"),
        {
            "name": "Peer helpers", "setting": "school", "stage": "prototype", "age_from": "12",
            "age_to": "16", "evidence_level": _level(world, "theory").pk,
            "responsible": [world.users[Role.SOCIAL_HELPER].pk], "note": "First described",
        },
    )  # fmt: skip
    method = Method.objects.get(name="Peer helpers")
    assert response.status_code == 302
    assert method.municipality == world.municipality_a
    assert list(method.responsible.all()) == [world.users[Role.SOCIAL_HELPER]]
    assert [(v.number, v.note) for v in method.versions.all()] == [(1, "First described")]
    assert AuditEvent.objects.filter(action="create", object_id=str(method.pk)).exists()


def test_the_form_refuses_a_level_of_another_municipality_and_ages_out_of_order(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("knowledge:method_create"),
        {
            "name": "X", "setting": "any", "stage": "idea", "age_from": "9", "age_to": "3",
            "evidence_level": _level(world, "theory", world.municipality_b).pk,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"age_to", "evidence_level"}
    assert not Method.objects.filter(name="X").exists()


def test_an_edit_writes_a_version_and_the_history_says_what_changed(world, signed_in, catalogue):
    club = catalogue["club"]
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("knowledge:method_edit", args=[club.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        evidence_level=_level(world, "preliminary").pk, stage="documented", active="on",
        note="Evaluated in 2025", name="Parent club (evaluated)",
    )  # fmt: skip
    data.pop("responsible")
    assert client.post(url, data).status_code == 302
    club.refresh_from_db()
    assert club.version == 2 and club.stage == Method.Stage.DOCUMENTED

    page = client.get(reverse("knowledge:method", args=[club.pk]))
    newest = page.context["history"][0]
    assert newest.version.number == 2
    assert newest.version.note == "Evaluated in 2025"
    assert newest.version.changed_by == world.users[Role.MANAGER]
    changed = {c.label: (c.before, c.after) for c in newest.changes}
    assert changed["Evidence"] == ("Theory of change", "Preliminary evidence")
    assert changed["Development stage"] == ("Tested", "Documented")
    assert changed["Name"] == ("Parent club", "Parent club (evaluated)")


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world, signed_in, catalogue):
    club = catalogue["club"]
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("knowledge:method_edit", args=[club.pk])
    method_update(
        user=world.users[Role.SUPERVISOR], method=club, data={"name": "Renamed"}, version=1
    )
    response = client.post(
        url,
        {"name": "My new name", "setting": "family", "stage": "tested", "version": "1",
         "note": "typed note"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert 'value="My new name"' in html and 'value="typed note"' in html
    assert Method.objects.get(pk=club.pk).name == "Renamed"
    assert club.versions.count() == 2


def test_an_entry_of_another_kind_is_not_edited_here(world, signed_in, catalogue):
    client = signed_in(world.users[Role.ADMIN])
    stages = catalogue["stages"]
    assert client.get(reverse("knowledge:method_edit", args=[stages.pk])).status_code == 404
    page = client.get(reverse("knowledge:method", args=[stages.pk]))
    assert page.status_code == 200 and page.context["may_change"] is False


def test_the_people_responsible_change_an_entry_they_keep(world, signed_in, catalogue):
    helper = world.users[Role.SOCIAL_HELPER]
    club = catalogue["club"]
    client = signed_in(helper)
    url = reverse("knowledge:method_edit", args=[club.pk])
    assert client.get(url).status_code == 403
    club.responsible.add(helper)
    assert client.get(url).status_code == 200
