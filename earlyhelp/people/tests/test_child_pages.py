"""The child list, the child page, editing and consents, as the people who use them."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child, Consent
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "found"),
    [("Szoke", "Bence"), ("szőke bence", "Bence"), ("BENCE", "Bence"), ("Reznicek", None)],
)
def test_search_ignores_accents_and_case(world, signed_in, query, found):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.get(reverse("people:child_list"), {"q": query})
    rows = [c.given_name for c in response.context["page"].rows]
    assert rows == ([found] if found else [])


def test_search_finds_czech_and_danish_names(db, signed_in):
    helper = f.UserFactory()
    f.TOTPDeviceFactory(user=helper)
    school = f.InstitutionFactory()
    f.MembershipFactory(
        user=helper,
        role=Role.SOCIAL_HELPER,
        municipality=school.municipality,
        institution=school,
        service=f.ServiceFactory(municipality=school.municipality),
    )
    group = f.GroupFactory(institution=school)
    for given, family in (("Jiří", "Řezníček"), ("Søren", "Ærøe"), ("Anna", "Nagy")):
        f.EnrolmentFactory(
            group=group,
            child=f.ChildFactory(
                municipality=school.municipality, given_name=given, family_name=family
            ),
        )
    client = signed_in(helper)
    for query, expected in (("Reznicek", ["Jiří"]), ("Soren", ["Søren"]), ("aeroe", ["Søren"])):
        page = client.get(reverse("people:child_list"), {"q": query}).context["page"]
        assert [c.given_name for c in page.rows] == expected


def test_a_search_of_fewer_than_three_letters_asks_for_more(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.get(reverse("people:child_list"), {"q": "Sz"})
    assert response.context["page"].query_too_short
    assert b"at least 3 letters" in response.content.lower()


def test_the_list_pages_by_keyset_without_offset(world, signed_in, django_assert_max_num_queries):
    helper = world.users[Role.SOCIAL_HELPER]
    for n in range(30):
        f.EnrolmentFactory(
            group=world.class_a1,
            child=f.ChildFactory(
                municipality=world.municipality_a, family_name="Tóth", given_name=f"Gyerek{n:02d}"
            ),
        )
    client = signed_in(helper)
    first = client.get(reverse("people:child_list")).context["page"]
    assert len(first.rows) == 25 and first.next_cursor
    second = client.get(reverse("people:child_list"), {"after": first.next_cursor}).context["page"]
    seen = [c.pk for c in first.rows] + [c.pk for c in second.rows]
    assert len(seen) == len(set(seen)) == 31
    assert second.next_cursor is None


def test_htmx_search_returns_only_the_rows(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.get(reverse("people:child_list"), {"q": "Szoke"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert "Szőke" in response.content.decode()


def test_opening_a_child_writes_one_audit_row_and_shows_who_has_seen_it(world, signed_in):
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    url = reverse("people:child_detail", args=[world.inside.pk])
    client.get(url)
    response = client.get(url)
    events = AuditEvent.objects.filter(action="view", subject=f"people.child:{world.inside.pk}")
    assert events.count() == 2
    assert {e.role for e in events} == {"social_helper"}
    assert all(e.request_id for e in events)
    assert b'aria-label="Sections of this page"' in response.content
    readers = client.get(reverse("people:child_readers", args=[world.inside.pk]))
    viewers = list(readers.context["viewers"])
    # The two openings of the page, and the reading of its readers.
    assert viewers[0]["actor_name"] == helper.username and viewers[0]["times"] == 3


@pytest.mark.parametrize(
    ("name", "purpose"),
    [
        ("child_family", "record family and consents"),
        ("child_help", "record help and contact"),
        ("child_history", "record history"),
        ("child_readers", "record readers"),
    ],
)
def test_a_section_of_the_record_is_opened_and_audited_like_the_record(
    world, signed_in, name, purpose
):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse(f"people:{name}", args=[world.inside.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"<html" in page.content
    assert b"Back to the record" in page.content
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    events = AuditEvent.objects.filter(subject=f"people.child:{world.inside.pk}", purpose=purpose)
    assert events.count() == 2 and {e.role for e in events} == {"social_helper"}
    # Only the full record's readers reach it; outside the scope it does not exist.
    assert signed_in(world.users[Role.EDUCATOR]).get(url).status_code == 403
    outside = reverse(f"people:{name}", args=[world.abroad.pk])
    assert signed_in(world.users[Role.SOCIAL_HELPER]).get(outside).status_code == 404


def test_the_child_page_leaves_its_heavy_parts_to_their_sections(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.get(reverse("people:child_detail", args=[world.inside.pk]))
    body = response.content.decode()
    for name in ("history", "viewers", "relationships", "consents", "activity_places"):
        assert name not in response.context
    for section in ("child_family", "child_help", "child_history", "child_readers"):
        assert 'hx-get="' + reverse(f"people:{section}", args=[world.inside.pk]) in body
    for anchor in ("#basics", "#family", "#help", "#history", "#readers"):
        assert f'href="{anchor}"' in body


def test_the_child_page_needs_a_bounded_number_of_queries(
    world, signed_in, django_assert_max_num_queries
):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:child_detail", args=[world.inside.pk])
    client.get(url)
    # 15 (the family, the help, the history and the readers are sections of their own), and
    # on PostgreSQL the audit row's advisory lock.
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_an_educator_sees_the_basics_but_not_family_or_consents(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    response = client.get(reverse("people:child_detail", args=[world.inside.pk]))
    assert response.status_code == 200
    assert not response.context["can_view_details"]
    assert world.parent_inside.given_name not in response.content.decode()


def _edit_data(child, **changes):
    data = {
        "family_name": child.family_name,
        "given_name": child.given_name,
        "birth_date": child.birth_date.isoformat(),
        "sex": child.sex,
        "national_id": child.national_id,
        "languages": child.languages,
        "needs": child.needs,
        "version": child.version,
    }
    data.update(changes)
    return data


def test_editing_a_child_records_the_field_changes(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:child_edit", args=[world.inside.pk])
    response = client.post(url, _edit_data(world.inside, needs="Hearing aid"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="change", subject=f"people.child:{world.inside.pk}")
    assert event.changes == {"needs": ["", "Hearing aid"]}
    detail = client.get(reverse("people:child_detail", args=[world.inside.pk]))
    assert "Hearing aid" in detail.content.decode()


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:child_edit", args=[world.inside.pk])
    stale = _edit_data(world.inside, needs="Glasses")
    client.post(url, _edit_data(world.inside, needs="Hearing aid"))
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert "Glasses" in response.content.decode()
    assert Child.objects.get(pk=world.inside.pk).needs == "Hearing aid"


def test_a_bad_national_identifier_is_explained_and_nothing_is_lost(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:child_edit", args=[world.inside.pk])
    response = client.post(url, _edit_data(world.inside, national_id="123456780", needs="Typed"))
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert "Typed" in response.content.decode()


def test_a_bad_identifier_is_explained_in_hungarian(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    client.cookies["django_language"] = "hu"
    url = reverse("people:child_edit", args=[world.inside.pk])
    response = client.post(url, _edit_data(world.inside, national_id="12345"))
    assert response.status_code == 200
    assert response.context["form"].errors["national_id"]


def test_creating_a_child_puts_the_creator_on_the_team(world, signed_in):
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    response = client.post(
        reverse("people:child_create"),
        {
            "family_name": "Új",
            "given_name": "Gyerek",
            "birth_date": "2019-02-03",
            "sex": "female",
            "national_id": "",
            "languages": "",
            "needs": "",
            "group": world.class_a1.pk,
        },
    )
    child = Child.objects.get(family_name="Új")
    assert response.status_code == 302
    assert child.team_members.filter(user=helper).exists()
    assert child.enrolments.get().group == world.class_a1
    assert AuditEvent.objects.filter(action="create", object_id=str(child.pk)).exists()


def test_a_future_birth_date_is_refused(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:child_create"),
        {
            "family_name": "Új",
            "given_name": "Gyerek",
            "birth_date": "2999-01-01",
            "sex": "female",
        },
    )
    assert response.status_code == 200
    assert "future" in response.content.decode()


def test_recording_and_withdrawing_a_consent(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:consent_create", args=[world.inside.pk]),
        {
            "purpose": Consent.Purpose.GROUP_ACTIVITIES,
            "given_by": world.parent_inside.pk,
            "given_on": "2026-10-01",
            "valid_until": "2027-06-30",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(purpose=Consent.Purpose.GROUP_ACTIVITIES)
    assert consent.is_valid_on(date(2026, 11, 1))
    client.post(
        reverse("people:consent_withdraw", args=[world.inside.pk, consent.pk]),
        {"withdrawn_on": "2026-11-02", "version": consent.version},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 2)
    assert not consent.is_valid_on(date(2026, 11, 3))


def test_a_consent_needs_to_say_who_gave_it(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:consent_create", args=[world.inside.pk]),
        {
            "purpose": Consent.Purpose.GROUP_ACTIVITIES,
            "given_on": "2026-10-01",
            "note": "kept",
        },
    )
    assert response.status_code == 200
    assert "Say who gave the consent" in response.content.decode()
    assert "kept" in response.content.decode()


def test_a_protected_address_is_hidden_from_those_not_on_the_team(world, signed_in):
    world.parent_inside.address = "Titkos utca 1."
    world.parent_inside.address_protected = True
    world.parent_inside.save()
    url = reverse("people:adult_detail", args=[world.parent_inside.pk])
    helper_view = signed_in(world.users[Role.SOCIAL_HELPER]).get(url).content.decode()
    assert "Titkos utca" not in helper_view
    team_view = signed_in(world.users[Role.CASE_WORKER]).get(url).content.decode()
    assert "Titkos utca" in team_view


def test_showing_an_edit_form_is_audited_as_a_read(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    client.get(reverse("people:child_edit", args=[world.inside.pk]))
    event = AuditEvent.objects.get(action="view")
    assert (event.purpose, event.object_id) == ("edit child", str(world.inside.pk))


def test_the_list_shows_exactly_the_children_the_policy_allows_for_every_role(world):
    """The list starts from a union of the scope's ids; it must neither add a child the
    policy refuses (a restricted child, another municipality's) nor lose one it allows."""
    from django.utils import timezone

    from earlyhelp.access.models import BreakGlassGrant
    from earlyhelp.access.policy import Action, visible
    from earlyhelp.people import selectors

    manager = world.users[Role.MANAGER]
    BreakGlassGrant.objects.create(
        user=manager,
        role=Role.MANAGER,
        municipality=world.municipality_a,
        child=world.elsewhere,
        reason="A test of the list through a break-glass opening.",
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    )
    # A child of municipality B at a school of A, and one on the case worker's team abroad.
    commuter = f.ChildFactory(municipality=world.municipality_b, family_name="Ingázó")
    f.EnrolmentFactory(group=world.class_a1, child=commuter)
    world.abroad.team_members.create(user=world.users[Role.CASE_WORKER])
    for user in [*world.users.values(), *world.outsiders.values()]:
        listed = set()
        cursor = ""
        while True:
            page = selectors.child_list(user=user, cursor=cursor, page_size=2)
            listed |= {c.pk for c in page.rows}
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        allowed = set(visible(user, Child.objects.all(), Action.VIEW).values_list("pk", flat=True))
        assert listed == allowed, user.username
        found = selectors.child_list(user=user, query="Ingázó").rows
        assert ([c.pk for c in found] == [commuter.pk]) == (commuter.pk in allowed), user.username
    helper_list = {c.pk for c in selectors.child_list(user=world.users[Role.SOCIAL_HELPER]).rows}
    assert commuter.pk in helper_list and world.secret.pk not in helper_list
    manager_list = {c.pk for c in selectors.child_list(user=manager).rows}
    assert manager_list == {world.elsewhere.pk}
