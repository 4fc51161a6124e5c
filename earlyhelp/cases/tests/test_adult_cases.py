"""Cases about adults: an adult in debt, out of work or with a mental-health problem gets a case
of their own, with a map of adult life domains and a plan of their own goals, under the same
policy as a child's case: its team and their supervisor, a restricted case its team's alone,
and nobody reaches it through a child they can see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.policy import Action, can, forget_scope, granting_path
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import selectors, services
from earlyhelp.cases.models import ADULT_DOMAINS, Case, CaseParticipant, ChronologyEntry, LifeDomain
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _adult_case(world, *, user=None, adults=None, **changes):
    data = {
        "user": user or world.users[Role.CASE_WORKER],
        "service": world.service_a,
        "title": "Szőke Anna",
        "kind": Case.Kind.FAMILY,
        "reason": "Rent arrears and a notice to quit.",
        "subject": Case.Subject.ADULT,
        "adults": [world.parent_inside] if adults is None else adults,
    }
    data.update(changes)
    return services.case_open(**data)


def _second_worker(world):
    """A case worker of the same service who is on no child's team."""
    user = f.UserFactory(username="case_worker-a2", municipality=world.municipality_a)
    f.TOTPDeviceFactory(user=user)
    f.MembershipFactory(
        user=user, role=Role.CASE_WORKER, municipality=world.municipality_a,
        service=world.service_a,
    )  # fmt: skip
    return user


def test_a_case_is_opened_from_the_adults_page(world, signed_in):
    worker = world.users[Role.CASE_WORKER]
    client = signed_in(worker)
    page = client.get(world.parent_inside.get_absolute_url()).content.decode()
    opener = f"{reverse('cases:open')}?adult={world.parent_inside.pk}"
    assert opener in page
    form = client.get(reverse("cases:open"), {"adult": world.parent_inside.pk})
    assert form.status_code == 200
    assert world.parent_inside in form.context["form"].fields["adults"].queryset
    response = client.post(
        reverse("cases:open"),
        {
            "adult": world.parent_inside.pk,
            "title": "Szőke Anna",
            "kind": "family",
            "service": world.service_a.pk,
            "adults": [world.parent_inside.pk],
            "reason": "Rent arrears and a notice to quit.",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.subject == Case.Subject.ADULT and case.is_about_adults
    assert not case.case_children.exists()
    client_place = case.participants.get()
    assert client_place.adult == world.parent_inside
    assert client_place.role == CaseParticipant.Role.CLIENT
    assert case.chronology.filter(kind=ChronologyEntry.Kind.OPENED).exists()
    created = AuditEvent.objects.get(object_type="cases.case", action="create")
    assert created.changes["subject"] == [None, "adult"]
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "The adults the case is about" in detail and "Anna" in detail
    # The adult's page lists the case.
    assert (
        case.get_absolute_url()
        in client.get(world.parent_inside.get_absolute_url()).content.decode()
    )


def test_the_case_list_finds_the_adult_by_name(world, signed_in):
    client = signed_in(world.users[Role.CASE_WORKER])
    page = client.get(reverse("cases:open"), {"q": "szoke"})
    assert page.status_code == 200
    assert world.parent_inside in page.context["adults_found"]
    assert f"?adult={world.parent_inside.pk}" in page.content.decode()
    assert AuditEvent.objects.filter(purpose="open a case about an adult").exists()
    # The same search finds nobody the user may not see: Eva lives in municipality B.
    assert client.get(reverse("cases:open"), {"q": "Eva"}).context["adults_found"] == []


def test_a_household_case_is_about_several_adults_and_never_a_child(world):
    partner = f.AdultFactory(municipality=world.municipality_a, given_name="Béla")
    f.RelationshipFactory(child=world.inside, adult=partner)
    case = _adult_case(world, subject=Case.Subject.HOUSEHOLD, adults=[world.parent_inside, partner])
    assert set(case.participants.values_list("adult_id", flat=True)) == {
        world.parent_inside.pk,
        partner.pk,
    }
    with pytest.raises(ValidationError):
        _adult_case(world, subject=Case.Subject.HOUSEHOLD, adults=[partner])
    with pytest.raises(ValidationError):
        _adult_case(world, adults=[world.parent_inside, partner])
    with pytest.raises(ValidationError):
        _adult_case(world, children=[world.inside])
    with pytest.raises(ValidationError):
        _adult_case(world, adults=[], subject=Case.Subject.ADULT)


def test_an_adult_the_opener_cannot_see_is_refused(world):
    with pytest.raises(PermissionDenied):
        _adult_case(world, adults=[world.parent_abroad])


def test_the_problem_map_offers_the_adult_domains(world, signed_in):
    case = _adult_case(world)
    assert LifeDomain.SCHOOL not in case.domains and LifeDomain.PARENTING not in case.domains
    assert LifeDomain.EMPLOYMENT in case.domains and LifeDomain.FINANCES in case.domains
    client = signed_in(world.users[Role.CASE_WORKER])
    form = client.get(reverse("cases:problem_map", args=[case.pk]))
    assert "severity_school" not in form.context["form"].fields
    response = client.post(
        reverse("cases:problem_map", args=[case.pk]),
        {
            "assessed_on": timezone.localdate().isoformat(),
            "severity_finances": "4",
            "note_finances": "Rent arrears",
            "severity_school": "5",
        },
    )
    assert response.status_code == 302
    assert list(case.assessments.values_list("domain", "severity")) == [("finances", 4)]
    rows = selectors.problem_map(case=case)
    assert [r.domain for r in rows] == [d.value for d in ADULT_DOMAINS]
    with pytest.raises(ValidationError):
        services.assess_problems(
            user=world.users[Role.CASE_WORKER], case=case,
            assessed_on=timezone.localdate(), severities={"parenting": (3, "")},
        )  # fmt: skip


def test_the_plan_holds_the_adults_own_goals(world, signed_in):
    case = _adult_case(world)
    client = signed_in(world.users[Role.CASE_WORKER])
    form = client.get(reverse("cases:goal_add", args=[case.pk])).context["form"]
    assert "child" not in form.fields and "adult" in form.fields
    assert "school" not in dict(form.fields["domain"].choices)
    response = client.post(
        reverse("cases:goal_add", args=[case.pk]),
        {
            "adult": world.parent_inside.pk,
            "text": "I pay the rent every month.",
            "domain": "finances",
        },
    )
    assert response.status_code == 302
    goal = case.goals.get()
    assert goal.adult == world.parent_inside and goal.child is None
    services.action_add(
        user=world.users[Role.CASE_WORKER], goal=goal, text="Call the debt adviser",
        owner_kind="parent", owner_name="Anna", due_on=timezone.localdate(),
    )  # fmt: skip
    page = client.get(case.get_absolute_url()).content.decode()
    assert "I pay the rent every month." in page and "Call the debt adviser" in page
    # A goal of a child, or of an adult the case is not about, is refused.
    other = f.AdultFactory(municipality=world.municipality_a)
    for person in ({"child": world.inside}, {"adult": other}):
        with pytest.raises(ValidationError):
            services.goal_add(user=world.users[Role.CASE_WORKER], case=case, text="Goal", **person)
    # A child's case still takes a child's goal only.
    child_case = services.case_open(
        user=world.users[Role.CASE_WORKER], service=world.service_a, title="Szőke",
        kind="family", reason="Concerns", children=[world.inside],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.goal_add(
            user=world.users[Role.CASE_WORKER], case=child_case, text="Goal",
            adult=world.parent_inside,
        )  # fmt: skip


def test_the_team_and_the_supervisor_reach_the_case_and_nobody_else(world, signed_in):
    case = _adult_case(world)  # opened and led by the case worker
    url = case.get_absolute_url()
    expected = {
        Role.CASE_WORKER: 200,
        Role.SUPERVISOR: 200,
        # The social helper sees Anna's son Bence at school A1, and through him Anna: not her
        # case.
        Role.SOCIAL_HELPER: 404,
        Role.EDUCATOR: 404,
        Role.INSTITUTION_LEAD: 404,
        Role.MANAGER: 404,
        Role.ANALYST: 404,
    }
    for role, status in expected.items():
        assert signed_in(world.users[role]).get(url).status_code == status, role
    for user in world.outsiders.values():
        assert signed_in(user).get(url).status_code == 404
    helper = world.users[Role.SOCIAL_HELPER]
    assert can(helper, Action.VIEW, world.parent_inside)
    assert not can(helper, Action.VIEW, case)
    assert selectors.adult_cases(user=helper, adult=world.parent_inside) == []
    assert case.get_absolute_url() not in (
        signed_in(helper).get(world.parent_inside.get_absolute_url()).content.decode()
    )


def test_the_team_reaches_the_client_it_could_not_reach_through_a_child(world, signed_in):
    lead = _second_worker(world)
    stranger = f.AdultFactory(municipality=world.municipality_a, given_name="Zoltán")
    assert not can(lead, Action.VIEW, stranger)
    assert not can(lead, Action.VIEW, world.parent_inside)
    case = _adult_case(world, lead_worker=lead)
    assert can(lead, Action.VIEW, world.parent_inside)
    assert can(lead, Action.CHANGE, world.parent_inside)
    assert granting_path(lead, Action.VIEW, world.parent_inside) == "team"
    page = signed_in(lead).get(case.get_absolute_url()).content.decode()
    assert world.parent_inside.get_absolute_url() in page
    assert signed_in(lead).get(world.parent_inside.get_absolute_url()).status_code == 200
    # Leaving the team ends it.
    membership = case.members.get(user=lead)
    membership.left_at = timezone.now()
    membership.save()
    forget_scope(lead)
    assert not can(lead, Action.VIEW, world.parent_inside)


def test_a_restricted_adult_case_is_its_teams_alone(world, signed_in):
    lead = _second_worker(world)
    world.parent_inside.restricted = True
    world.parent_inside.save()
    case = _adult_case(world, lead_worker=lead, restricted=True)
    assert signed_in(lead).get(case.get_absolute_url()).status_code == 200
    assert signed_in(world.users[Role.CASE_WORKER]).get(case.get_absolute_url()).status_code == 200
    assert signed_in(world.users[Role.SUPERVISOR]).get(case.get_absolute_url()).status_code == 404
    # The restricted adult: the case's team, not its supervisor.
    assert can(lead, Action.VIEW, world.parent_inside)
    assert not can(world.users[Role.SUPERVISOR], Action.VIEW, world.parent_inside)


def test_a_supervisor_reaches_the_client_of_an_unrestricted_case(world):
    lead = _second_worker(world)
    stranger = f.AdultFactory(municipality=world.municipality_a)
    f.RelationshipFactory(child=world.inside, adult=stranger)
    case = _adult_case(world, lead_worker=lead, adults=[stranger])
    supervisor = world.users[Role.SUPERVISOR]
    assert can(supervisor, Action.VIEW, case)
    assert can(supervisor, Action.VIEW, stranger)
    outsider = world.outsiders[Role.SUPERVISOR]
    assert not can(outsider, Action.VIEW, stranger)


def test_an_adult_case_closes_like_any_case(world, signed_in):
    case = _adult_case(world)
    client = signed_in(world.users[Role.CASE_WORKER])
    response = client.post(
        reverse("cases:close", args=[case.pk]),
        {
            "reason": "goals_met",
            "outcome": "improved",
            "note": "Debt settled",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_closed
    assert client.get(reverse("cases:chronology_pdf", args=[case.pk])).status_code == 200
