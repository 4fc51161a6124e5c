"""Records name the method they follow: an activity (its form offers the municipality's
interventions in use, a new activity follows its type's method, an entry switched off stays on
the activities that name it), a step of a case plan and a referral, each shown where the record
is."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities import services as activity_services
from earlyhelp.activities.models import ActivityType
from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.cases.tests.test_plan import _goal
from earlyhelp.knowledge.catalogue import method_create
from earlyhelp.knowledge.models import Method
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _method(world, name, outside=False, **data):
    return method_create(
        user=(world.outsiders if outside else world.users)[Role.SUPERVISOR],
        municipality=world.municipality_b if outside else world.municipality_a,
        data={"name": name, **data},
    )


def _type(world, code="parent_club"):
    return ActivityType.objects.get(municipality=world.municipality_a, code=code)


def _plan(world, **extra):
    data = {
        "institution": world.school_a1, "type": _type(world), "title": "Parent club",
        "recurrence": "once", "starts_on": timezone.localdate(), "start_time": time(15, 0),
        "minutes": 90, "method": None,
    }  # fmt: skip
    return activity_services.activity_create(
        user=world.users[Role.SOCIAL_HELPER], data={**data, **extra}
    )


def test_the_activity_form_offers_the_interventions_in_use_of_the_municipality(world, signed_in):
    club = _method(world, "Parent club method")
    _method(world, "Retired", active=False)
    _method(world, "Stages", kind=Method.Kind.CONTACT_STAGES)
    _method(world, "Abroad", outside=True)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    form = client.get(reverse("activities:new")).context["form"]
    assert list(form.fields["method"].queryset) == [club]


def test_an_activity_is_planned_with_a_method_and_its_page_links_it(world, signed_in):
    club = _method(world, "Parent club method")
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("activities:new"),
        {
            "institution": world.school_a1.pk, "type": _type(world).pk, "title": "Club",
            "recurrence": "once", "starts_on": timezone.localdate().isoformat(),
            "minutes": "60", "method": club.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302
    activity = club.activities.get()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("knowledge:method", args=[club.pk]) in page


def test_a_method_of_another_municipality_is_refused(world, signed_in):
    abroad = _method(world, "Abroad", outside=True)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("activities:new"),
        {
            "institution": world.school_a1.pk, "type": _type(world).pk, "title": "Club",
            "recurrence": "once", "starts_on": timezone.localdate().isoformat(),
            "minutes": "60", "method": abroad.pk,
        },
    )  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors["method"]
    with pytest.raises(ValidationError):
        _plan(world, method=abroad)


def test_a_new_activity_follows_its_types_method_and_the_type_preselects_it(world, signed_in):
    club = _method(world, "Parent club method")
    ActivityType.objects.filter(pk=_type(world).pk).update(method=club)
    assert _plan(world).method == club
    other = _method(world, "Another")
    assert _plan(world, method=other).method == other
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    form = client.get(reverse("activities:new"), {"type": "parent_club"}).context["form"]
    assert form.initial["method"] == club.pk


def test_a_method_switched_off_stays_on_the_activity_when_it_is_edited(world, signed_in):
    club = _method(world, "Parent club method")
    activity = _plan(world, method=club)
    Method.objects.filter(pk=club.pk).update(active=False)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    edit = reverse("activities:edit", args=[activity.pk])
    assert club in client.get(edit).context["form"].fields["method"].queryset
    data = {
        "type": activity.type_id, "title": "Parent club", "starts_on": activity.starts_on,
        "minutes": 90, "status": "active", "version": activity.version, "method": club.pk,
    }  # fmt: skip
    assert client.post(edit, data).status_code == 302
    activity.refresh_from_db()
    assert activity.method == club and activity.version == 2
    with pytest.raises(ValidationError):
        _plan(world, method=Method.objects.get(pk=club.pk))


def test_a_method_is_named_only_by_someone_who_sees_it(world):
    club = _method(world, "Parent club method")
    kind = ActivityType.objects.get(municipality=world.municipality_b, code="parent_club")
    with pytest.raises((PermissionDenied, ValidationError)):
        activity_services.activity_create(
            user=world.outsiders[Role.SOCIAL_HELPER],
            data={
                "institution": world.school_b1, "type": kind, "title": "Club",
                "recurrence": "once", "starts_on": timezone.localdate(), "minutes": 60,
                "method": club,
            },
        )  # fmt: skip


def test_a_plan_step_and_a_referral_name_a_method_shown_on_the_case_page(world, signed_in):
    club = _method(world, "Parent club method")
    case = _open(world)
    goal = _goal(world, case)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    step = client.post(
        reverse("cases:action_add", args=[case.pk, goal.pk]),
        {
            "text": "Join the parent club", "owner_kind": "parent", "owner_name": "Mother",
            "due_on": timezone.localdate().isoformat(), "method": club.pk,
        },
    )  # fmt: skip
    referral = client.post(
        reverse("cases:referral_add", args=[case.pk]),
        {
            "to": "debt", "organisation": "Debt advice", "reason": "Rent arrears.",
            "referred_on": timezone.localdate().isoformat(), "method": club.pk,
        },
    )  # fmt: skip
    assert step.status_code == 302 and referral.status_code == 302
    assert club.plan_actions.get().text == "Join the parent club"
    assert club.referrals.get().organisation == "Debt advice"
    # The step on the case page's plan, the referral in its section of work with others.
    page = client.get(case.get_absolute_url()).content.decode()
    work = client.get(reverse("cases:case_work", args=[case.pk])).content.decode()
    method = reverse("knowledge:method", args=[club.pk])
    assert page.count(method) == 1 and work.count(method) == 1
