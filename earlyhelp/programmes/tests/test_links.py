"""Counting the work for programmes: a record of work (an activity, a case, a contact
arrangement, a support agreement) links to programmes chosen among those the worker may link;
a link the worker cannot see is kept untouched; record pages name only the programmes the
reader may see or link. The free-text programme of activities became such links."""

from datetime import date, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities import selectors
from earlyhelp.activities import services as activity_services
from earlyhelp.activities.models import Activity, ActivityType
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import services as case_services
from earlyhelp.cases.models import Case
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.models import Programme
from earlyhelp.programmes.services import linkable, programmes_link, programmes_shown
from earlyhelp.tests import factories as f


def _programme(world, name="Early help 2030", inside=True) -> Programme:
    users = world.users if inside else world.outsiders
    return Programme.objects.create(
        municipality=world.municipality_a if inside else world.municipality_b, name=name,
        starts_on=date(2025, 1, 1), ends_on=date(2030, 12, 31), created_by=users[Role.MANAGER],
    )  # fmt: skip


def _activity(world, **extra) -> Activity:
    data = {
        "institution": world.school_a1,
        "type": ActivityType.objects.get(municipality=world.municipality_a, code="parent_club"),
        "title": "Parent club", "recurrence": "once", "starts_on": timezone.localdate(),
        "start_time": time(15, 0), "minutes": 90,
    }  # fmt: skip
    data.update(extra)
    return activity_services.activity_create(user=world.users[Role.SOCIAL_HELPER], data=data)


@pytest.mark.django_db
def test_workers_link_only_their_municipalitys_programmes(world):
    ours, theirs = _programme(world), _programme(world, "Abroad", inside=False)
    helper = world.users[Role.SOCIAL_HELPER]
    assert list(linkable(helper)) == [ours]
    assert list(linkable(world.outsiders[Role.CASE_WORKER])) == [theirs]
    assert not linkable(world.users[Role.EDUCATOR]).exists()


@pytest.mark.django_db
def test_a_link_the_worker_cannot_see_is_kept_when_they_save(world):
    ours, theirs = _programme(world), _programme(world, "Abroad", inside=False)
    activity = _activity(world, programmes=[ours])
    assert set(activity.programmes.all()) == {ours}
    activity.programmes.add(theirs)  # linked by someone who may
    activity_services.activity_update(
        user=world.users[Role.SOCIAL_HELPER], activity=activity, version=activity.version,
        data={"title": "Parent club", "programmes": [theirs]},
    )  # fmt: skip
    # Unticking ours removed it; theirs was never offered, so it stayed, and could not be added.
    assert set(activity.programmes.all()) == {theirs}
    event = AuditEvent.objects.filter(action="change", object_id=str(activity.pk)).latest("id")
    assert event.changes["programmes"] == [sorted([ours.pk, theirs.pk]), [theirs.pk]]


@pytest.mark.django_db
def test_the_activity_form_offers_linkable_programmes_and_the_page_names_them(world, signed_in):
    ours, theirs = _programme(world), _programme(world, "Abroad", inside=False)
    activity = _activity(world)
    activity.programmes.add(theirs)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    edit = reverse("activities:edit", args=[activity.pk])
    form = client.get(edit).context["form"]
    assert list(form.fields["programmes"].queryset) == [ours]
    data = {
        "type": activity.type_id, "title": "Parent club", "starts_on": activity.starts_on,
        "minutes": 90, "status": "active", "version": activity.version,
    }  # fmt: skip
    refused = client.post(edit, {**data, "programmes": [theirs.pk]})
    assert refused.status_code == 200 and refused.context["form"].errors["programmes"]
    assert client.post(edit, {**data, "programmes": [ours.pk]}).status_code == 302
    assert set(activity.programmes.all()) == {ours, theirs}
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "Early help 2030" in page and "Abroad" not in page and "and 1 more" in page


@pytest.mark.django_db
def test_the_names_shown_are_those_the_reader_may_see_or_link(world):
    ours, theirs = _programme(world), _programme(world, "Abroad", inside=False)
    activity = _activity(world, programmes=[ours])
    activity.programmes.add(theirs)
    assert programmes_shown(world.users[Role.ANALYST], activity) == ([ours], 1)
    assert programmes_shown(world.outsiders[Role.MANAGER], activity) == ([theirs], 1)
    assert programmes_shown(world.users[Role.EDUCATOR], activity) == ([], 2)


@pytest.mark.django_db
def test_the_months_log_names_the_programmes_of_each_activity(world):
    first, second = _programme(world, "B programme"), _programme(world, "A programme")
    linked = _activity(world, programmes=[first, second])
    linked.programmes.add(_programme(world, "Abroad", inside=False))  # not named to the reader
    _activity(world, title="Unlinked")
    helper = world.users[Role.SOCIAL_HELPER]
    sessions = selectors.month_sessions(helper, timezone.localdate().replace(day=1))
    rows = list(selectors.log_rows(sessions, user=helper, stream=False))
    column = selectors.LOG_COLUMNS.index("programme")
    by_title = {row[6]: row[column] for row in rows}
    assert by_title == {linked.title: "A programme, B programme", "Unlinked": ""}


@pytest.mark.django_db
def test_a_case_is_opened_counting_for_a_programme(world):
    ours = _programme(world)
    worker = world.users[Role.CASE_WORKER]
    case = case_services.case_open(
        user=worker, service=world.service_a, title="Szőke family", kind="family",
        reason="Housing at risk.", children=[world.inside], programmes=[ours],
    )  # fmt: skip
    assert list(case.programmes.all()) == [ours]


@pytest.mark.django_db
def test_a_programme_of_another_municipality_is_not_linked_by_the_service(world):
    theirs = _programme(world, "Abroad", inside=False)
    activity = _activity(world)
    assert (
        programmes_link(user=world.users[Role.SOCIAL_HELPER], record=activity, chosen=[theirs])
        == {}
    )
    assert not activity.programmes.exists()


@pytest.mark.django_db
def test_a_case_about_an_adult_is_opened_counting_for_a_programme(world, signed_in):
    ours, theirs = _programme(world), _programme(world, "Abroad", inside=False)
    client = signed_in(world.users[Role.CASE_WORKER])
    adult = world.parent_inside
    form = client.get(reverse("cases:open"), {"adult": adult.pk}).context["form"]
    assert list(form.fields["programmes"].queryset) == [ours]
    response = client.post(
        reverse("cases:open"),
        {"adult": adult.pk, "title": "Szőke Anna", "kind": "family",
         "service": world.service_a.pk, "adults": [adult.pk],
         "reason": "Rent arrears.", "programmes": [ours.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get(title="Szőke Anna")
    assert list(case.programmes.all()) == [ours]
    assert theirs not in case.programmes.all()


@pytest.mark.django_db
def test_the_team_changes_the_programmes_of_an_open_case(world, signed_in):
    ours, second = _programme(world), _programme(world, "Second")
    theirs = _programme(world, "Abroad", inside=False)
    worker = world.users[Role.CASE_WORKER]
    case = case_services.case_open(
        user=worker, service=world.service_a, title="Szőke family", kind="family",
        reason="Housing at risk.", children=[world.inside], programmes=[ours],
    )  # fmt: skip
    case.programmes.add(theirs)  # linked by someone who may
    case.refresh_from_db()
    client = signed_in(worker)
    section = reverse("cases:case_outcomes", args=[case.pk])
    assert section in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:programmes", args=[case.pk]) in client.get(section).content.decode()
    edit = reverse("cases:programmes", args=[case.pk])
    page = client.get(edit)
    assert list(page.context["form"].fields["programmes"].queryset) == [ours, second]
    assert "Abroad" not in page.content.decode()
    version = case.version
    assert client.post(edit, {"programmes": [second.pk], "version": version}).status_code == 302
    assert set(case.programmes.all()) == {second, theirs}
    case.refresh_from_db()
    assert case.version == version + 1
    event = AuditEvent.objects.filter(action="change", object_id=str(case.pk)).latest("id")
    assert event.changes["programmes"] == [sorted([ours.pk, theirs.pk]),
                                           sorted([second.pk, theirs.pk])]  # fmt: skip
    entry = case.chronology.latest("pk")
    assert entry.title == "Programmes the case counts for changed"
    assert "Second" not in entry.title + entry.text
    # A stale save is refused, keeping what was ticked.
    stale = client.post(edit, {"programmes": [ours.pk], "version": version})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    assert stale.context["form"]["programmes"].value() == [str(ours.pk)]
    assert set(case.programmes.all()) == {second, theirs}


# --- The data migration ----------------------------------------------------------------------

BEFORE = [("activities", "0007_activity_programmes")]
AFTER = [("activities", "0008_programme_text_to_links")]


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="A migration test flushes the database, and the audit log refuses TRUNCATE there.",
)
@pytest.mark.django_db(transaction=True)
def test_the_free_text_programme_becomes_programmes_and_links():
    municipality = f.MunicipalityFactory()
    other = f.MunicipalityFactory()
    school = f.InstitutionFactory(municipality=municipality)
    abroad = f.InstitutionFactory(municipality=other)
    first, second = f.UserFactory(), f.UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        OldActivity = old.get_model("activities", "Activity")

        def made(institution, text, starts_on, ends_on=None, by=first):
            # The type as it stood then (later migrations add columns to it).
            OldType = old.get_model("activities", "ActivityType")
            kind = OldType.objects.filter(municipality_id=institution.municipality_id).first()
            return OldActivity.objects.create(
                municipality_id=institution.municipality_id, institution_id=institution.pk,
                type_id=kind.pk, title="Club", lead_id=by.pk, created_by_id=by.pk,
                starts_on=starts_on, ends_on=ends_on, programme=text,
            ).pk  # fmt: skip

        early = made(school, "Early help 2030", date(2024, 3, 1), by=second)
        late = made(school, " Early help 2030 ", date(2024, 9, 1), date(2025, 6, 30))
        shouted = made(school, "EARLY HELP  2030", date(2024, 10, 1))
        other_text = made(school, "Housing first", date(2024, 5, 1))
        none = made(school, "", date(2024, 5, 1))
        abroad_pk = made(abroad, "Early help 2030", date(2023, 1, 1))

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        programmes = Programme.objects.filter(municipality=municipality).order_by("name")
        assert [p.name for p in programmes] == ["Early help 2030", "Housing first"]
        early_help = programmes[0]
        assert (early_help.starts_on, early_help.ends_on) == (date(2024, 3, 1), date(2025, 6, 30))
        assert early_help.funder == "" and early_help.created_by_id == second.pk
        assert set(early_help.activities.values_list("pk", flat=True)) == {early, late, shouted}
        assert set(Programme.objects.values_list("template", flat=True)) == {"migrated"}
        # The activity as it stood then (later migrations add columns to it).
        Then = executor.loader.project_state(AFTER).apps.get_model("activities", "Activity")
        assert Then.objects.get(pk=other_text).programmes.get().name == "Housing first"
        assert not Then.objects.get(pk=none).programmes.exists()
        theirs = Then.objects.get(pk=abroad_pk).programmes.get()
        assert theirs.municipality_id == other.pk and theirs.pk != early_help.pk

        # Backwards, the text comes back from the links.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        texts = dict(old.get_model("activities", "Activity").objects.values_list("pk", "programme"))
        assert texts[late] == "Early help 2030" and texts[none] == ""
        assert texts[shouted] == "Early help 2030" and texts[other_text] == "Housing first"
        # The programmes it made are gone with their links.
        assert not old.get_model("programmes", "Programme").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
