"""The profiles in the administration: superusers draft and publish versions, nobody edits a
published one, municipality administrators read them and manage their own settings."""

import json

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.protocols.models import ClosingDay, MunicipalSetting, Profile
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    f.TOTPDeviceFactory(user=user)
    return user


def change_url(profile: Profile) -> str:
    return reverse("admin:protocols_profile_change", args=[profile.pk])


def test_the_profile_page_previews_the_deadlines_of_a_concern_received_now(
    shipped, root, signed_in
):
    response = signed_in(root).get(change_url(shipped("DK")))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deadlines of a concern received now" in page
    assert "Acknowledge receipt to the professional notifier" in page
    assert "6 working days (Barnets Lov)" in page
    # Published: shown, not editable.
    assert 'name="rules"' not in page


def test_nobody_changes_a_published_version(shipped, root, signed_in):
    published = shipped("HU")
    response = signed_in(root).post(
        change_url(published),
        {"name": "Edited", "rules": json.dumps(published.rules)},
    )
    assert response.status_code == 403
    assert Profile.objects.get(pk=published.pk).name == published.name


def test_a_superuser_drafts_edits_and_publishes_the_next_version(shipped, root, signed_in):
    client = signed_in(root)
    changelist = reverse("admin:protocols_profile_changelist")
    client.post(
        changelist,
        {"action": "draft_next_version", "_selected_action": [shipped("CZ").pk]},
    )
    draft = Profile.objects.get(key="CZ", version=5)
    assert not draft.is_published
    rules = dict(draft.rules, authority="OSPOD (orgán sociálně-právní ochrany dětí)")
    response = client.post(
        change_url(draft),
        {"name": draft.name, "jurisdiction": draft.jurisdiction_id, "rules": json.dumps(rules)},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.rules["authority"].startswith("OSPOD (")
    actions = AuditEvent.objects.filter(object_type="protocols.profile", object_id=str(draft.pk))
    assert sorted(actions.values_list("action", flat=True)) == ["change", "change", "create"]


def test_rules_the_deadlines_could_not_follow_are_refused_in_the_form(root, signed_in):
    response = signed_in(root).post(
        reverse("admin:protocols_profile_add"),
        {"key": "GENERIC", "version": 5, "name": "Broken", "rules": json.dumps({"deadlines": []})},
    )
    assert response.status_code == 200
    assert "rules" in response.context["adminform"].form.errors
    assert not Profile.objects.filter(key="GENERIC", version=5).exists()


def test_a_municipality_administrator_reads_profiles_but_cannot_add_or_change_them(
    world, shipped, signed_in
):
    client = signed_in(world.users[Role.ADMIN])
    response = client.get(change_url(shipped("HU")))
    assert response.status_code == 200
    assert "Act on the concern" in response.content.decode()
    assert client.get(reverse("admin:protocols_profile_add")).status_code == 403
    response = client.post(
        reverse("admin:protocols_profile_changelist"),
        {"action": "draft_next_version", "_selected_action": [shipped("HU").pk]},
    )
    assert not Profile.objects.filter(key="HU", version=6).exists()


def test_an_administrator_sets_their_municipalitys_numbers_and_closing_days(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:protocols_municipalsetting_add"),
        {"municipality": world.municipality_a.pk, "key": "feedback_working_days", "value": 15},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = client.post(
        reverse("admin:protocols_closingday_add"),
        {"municipality": world.municipality_a.pk, "date": "2026-12-31", "reason": "Year end"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MunicipalSetting.objects.get(municipality=world.municipality_a).value == 15
    event = AuditEvent.objects.get(object_type="protocols.closingday", action="create")
    assert event.changes["reason"] == [None, "Year end"]
    listing = client.get(reverse("admin:protocols_municipalsetting_changelist"))
    assert "Default (earlyhelp&#x27;s, not law)" in listing.content.decode()


def test_an_administrator_cannot_set_another_municipalitys_numbers(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:protocols_closingday_add"),
        {"municipality": world.municipality_b.pk, "date": "2026-12-31", "reason": "Year end"},
    )
    assert response.status_code == 200
    assert "municipality" in response.context["adminform"].form.errors
    assert not ClosingDay.objects.exists()


def test_a_setting_the_profile_does_not_use_is_refused(world, signed_in):
    # Municipality A is Hungarian; the written follow-up is a Hungarian setting, CZ has none.
    client = signed_in(world.outsiders[Role.ADMIN])
    response = client.post(
        reverse("admin:protocols_municipalsetting_add"),
        {
            "municipality": world.municipality_b.pk,
            "key": "written_follow_up_working_days",
            "value": 2,
        },
    )
    assert response.status_code == 200
    assert "key" in response.context["adminform"].form.errors


def test_a_published_version_cannot_be_deleted_even_in_bulk(shipped, root, signed_in):
    published = shipped("DK")
    signed_in(root).post(
        reverse("admin:protocols_profile_changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert Profile.objects.filter(pk=published.pk).exists()


@pytest.mark.parametrize("typed", ["0001-01-01", "1850-01-01", "9999-12-31"])
def test_a_closing_day_far_out_is_refused(world, signed_in, typed):
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:protocols_closingday_add"),
        {"municipality": world.municipality_a.pk, "date": typed, "reason": "Typo"},
    )
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not ClosingDay.objects.exists()
