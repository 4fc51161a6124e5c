"""The API in the access matrix: every role calls it with a bearer token of its own account;
without a token the answer is 401."""

import itertools
from datetime import UTC, date, datetime, timedelta

from earlyhelp.activities.tests.access_expectations import activity, make_activity
from earlyhelp.api.models import ApiToken
from earlyhelp.cases.tests.access_expectations import case, make_goal
from earlyhelp.concerns.tests.access_expectations import concern
from earlyhelp.contacts.tests.access_expectations import arrangement
from earlyhelp.fostercare.tests.access_expectations import household
from earlyhelp.imports.tests.access_expectations import roster as import_roster
from earlyhelp.programmes.tests.access_expectations import programme
from earlyhelp.screening.tests.access_expectations import round_pk
from earlyhelp.tests.matrix import ADM, ANA, CW, EDU, HELP, LEAD, MGR, SUP, Expect, answers, url

_keys = itertools.count()


def bearer(user) -> dict:
    _token, raw = ApiToken.issue(user=user, name="matrix")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": f"matrix-{next(_keys)}"}


def new_concern(w, inside: bool) -> dict:
    return {
        "institution_id": (w.school_a1 if inside else w.school_b1).pk,
        "children": [{"child_id": (w.inside if inside else w.abroad).pk, "role": "harmed"}],
        "what_happened": "Came to school hungry three days this week.",
        "categories": ["neglect"],
        "parents_know": "yes",
    }


def api(default: int, **overrides: int) -> dict[str, int]:
    return answers(default, **{"anonymous": 401, **overrides})


def child(w, inside: bool) -> int:
    return (w.inside if inside else w.abroad).pk


def session(w, inside: bool) -> int:
    return make_activity(w, inside).sessions.get().pk


def adult(w, inside: bool) -> int:
    return (w.parent_inside if inside else w.parent_abroad).pk


def institution(w, inside: bool) -> int:
    return (w.school_a1 if inside else w.school_b1).pk


def new_child(w, inside: bool) -> dict:
    return {"family_name": "Kiss", "given_name": "Panna", "birth_date": "2016-04-02"}


def new_enrolment(w, inside: bool) -> dict:
    # Another class than the child's own: enrolled twice in one class on one day is refused.
    group = w.class_a2 if inside else w.class_b1
    return {"group_id": group.pk, "starts_on": date.today().isoformat()}


def new_consent(w, inside: bool) -> dict:
    parent = w.parent_inside if inside else w.parent_abroad
    return {"purpose": "photos", "given_by_adult_id": parent.pk, "given_on": "2024-09-02"}


def new_case(w, inside: bool) -> dict:
    return {
        "child_ids": [child(w, inside)],
        "service_id": (w.municipality_a if inside else w.municipality_b).services.first().pk,
        "title": "Szőke family",
        "reason": "Repeated concerns about neglect.",
    }


def goal_steps_url(w, inside: bool) -> str:
    from django.urls import reverse

    goal = make_goal(w, inside)
    return reverse("api-v1:case_step_create", kwargs={"case_id": goal.case_id, "goal_id": goal.pk})


def goal_status_url(w, inside: bool) -> str:
    from django.urls import reverse

    goal = make_goal(w, inside)
    return reverse("api-v1:case_goal_status", kwargs={"case_id": goal.case_id, "goal_id": goal.pk})


def step_status_url(w, inside: bool) -> str:
    from django.urls import reverse

    step = make_goal(w, inside).actions.create(
        text="Morning call", owner_kind="parent", owner_name="Mother", due_on=date.today()
    )
    return reverse(
        "api-v1:case_step_status", kwargs={"case_id": step.goal.case_id, "step_id": step.pk}
    )


def new_activity(w, inside: bool) -> dict:
    school = w.school_a1 if inside else w.school_b1
    return {
        "institution_id": school.pk,
        "type": "parent_club",
        "title": "Parent club",
        "starts_on": date.today().isoformat(),
    }


OPEN = answers(200, anonymous=200)
# As on the pages: the roles that see children list them and open those in their scope.
SEE_CHILDREN = {EDU: 200, LEAD: 200, HELP: 200, CW: 200, SUP: 200}
# As on the case pages: its team (the case worker leads it, the social helper is on it) and
# the supervisor of its service; the roles that open cases list them.
CASE_TEAM = {HELP: 200, CW: 200, SUP: 200}
CASE_WRITERS = {HELP: 201, CW: 201, SUP: 201}
# As on the activity pages: the social helper delivers it, the supervisor works it, the
# institution's lead sees it (not who takes part); the roles that deliver or follow list.
ACTIVITY_LISTERS = {HELP: 200, CW: 200, SUP: 200, LEAD: 200}
# A meeting or a participant is added by who works the activity; its institution's lead, 403.
ACTIVITY_WORKERS = {HELP: 201, SUP: 201, LEAD: 403}
# As on the screening pages: the educator of the round's class rates it, the lead follows it,
# the social helper and supervisor work it.
ROUND_READERS = {EDU: 200, LEAD: 200, HELP: 200, SUP: 200}
# As on the contact pages: the case worker works the arrangement, the supervisor of its service
# too.
CONTACT_WORKERS = {CW: 200, SUP: 200}
# The full record (and the adults in it): those who work with the child; an educator or a lead
# sees the basics and gets 403 for the rest, as for the page's sections.
FULL_RECORD = {EDU: 403, LEAD: 403, HELP: 200, CW: 200, SUP: 200}
# Who may change the child creates its rows; who only sees it, 403; the rest, 404.
ADD_TO_RECORD = {EDU: 403, LEAD: 403, HELP: 201, CW: 201, SUP: 201}
# As on the foster-care pages: the case worker is the key worker of the household's agreement,
# the supervisor of its service works it too; managers and analysts read only the overview.
FOSTER_WORKERS = {CW: 200, SUP: 200}
# As on the programme pages: the managers and analysts of its municipality read it (the
# matrix's programme has no lead); the workers only link their records to it.
PROGRAMME_READERS = {MGR: 200, ANA: 200}

EXPECTATIONS = {
    "api-v1:api-root": Expect(url("api-v1:api-root"), answers(404, anonymous=404)),
    "api-v1:openapi-json": Expect(url("api-v1:openapi-json"), OPEN),
    "api-v1:openapi-view": Expect(url("api-v1:openapi-view"), OPEN),
    "api-v1:concern_create": Expect(
        url("api-v1:concern_create"),
        api(403, **{EDU: 201, LEAD: 201, HELP: 201}),
        api(403, **{EDU: 404, LEAD: 404, HELP: 404}),
        method="post",
        data=new_concern,
        headers=bearer,
        json=True,
    ),
    "api-v1:concern_list": Expect(url("api-v1:concern_list"), api(200), headers=bearer),
    "api-v1:concern_detail": Expect(
        url("api-v1:concern_detail", concern_id=concern),
        api(404, **{EDU: 200, LEAD: 200, HELP: 200, SUP: 200}),
        api(404),
        headers=bearer,
    ),
    "api-v1:child_list": Expect(url("api-v1:child_list"), api(403, **SEE_CHILDREN), headers=bearer),
    "api-v1:child_detail": Expect(
        url("api-v1:child_detail", child_id=child),
        api(404, **SEE_CHILDREN),
        api(404),
        headers=bearer,
    ),
    # Who may change the child gets past the policy to the missing If-Match (428); who only
    # sees it, 403; the rest, 404.
    "api-v1:child_update": Expect(
        url("api-v1:child_update", child_id=child),
        api(404, **{EDU: 403, LEAD: 403, HELP: 428, CW: 428, SUP: 428}),
        api(404),
        method="patch",
        data=lambda w, inside: {"needs": "Glasses for reading."},
        headers=bearer,
        json=True,
    ),
    "api-v1:case_list": Expect(url("api-v1:case_list"), api(403, **CASE_TEAM), headers=bearer),
    "api-v1:case_detail": Expect(
        url("api-v1:case_detail", case_id=case), api(404, **CASE_TEAM), api(404), headers=bearer
    ),
    # A case is opened by the roles that open them on the page, about a child they see; a case
    # is written to by its team and the supervisor of its service, as on the case page.
    "api-v1:case_create": Expect(
        url("api-v1:case_create"),
        api(403, **{HELP: 201, CW: 201, SUP: 201}),
        api(403, **{HELP: 404, CW: 404, SUP: 404}),
        method="post",
        data=new_case,
        headers=bearer,
        json=True,
    ),
    "api-v1:case_entry_create": Expect(
        url("api-v1:case_entry_create", case_id=case),
        api(404, **CASE_WRITERS),
        api(404),
        method="post",
        data=lambda w, inside: {
            "kind": "contact",
            "happened_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "title": "Home visit",
        },
        headers=bearer,
        json=True,
    ),
    "api-v1:case_goal_create": Expect(
        url("api-v1:case_goal_create", case_id=case),
        api(404, **CASE_WRITERS),
        api(404),
        method="post",
        data=lambda w, inside: {"child_id": child(w, inside), "text": "Goes to school."},
        headers=bearer,
        json=True,
    ),
    "api-v1:case_step_create": Expect(
        goal_steps_url,
        api(404, **CASE_WRITERS),
        api(404),
        method="post",
        data=lambda w, inside: {
            "text": "Morning call",
            "owner_kind": "parent",
            "owner_name": "Mother",
            "due_on": date.today().isoformat(),
        },
        headers=bearer,
        json=True,
    ),
    # Who may change the case gets past the policy to the missing If-Match (428).
    "api-v1:case_goal_status": Expect(
        goal_status_url,
        api(404, **{HELP: 428, CW: 428, SUP: 428}),
        api(404),
        method="put",
        data=lambda w, inside: {"status": "achieved"},
        headers=bearer,
        json=True,
    ),
    "api-v1:case_step_status": Expect(
        step_status_url,
        api(404, **{HELP: 428, CW: 428, SUP: 428}),
        api(404),
        method="put",
        data=lambda w, inside: {"status": "done"},
        headers=bearer,
        json=True,
    ),
    "api-v1:case_close": Expect(
        url("api-v1:case_close", case_id=case),
        api(404, **{HELP: 428, CW: 428, SUP: 428}),
        api(404),
        method="post",
        data=lambda w, inside: {"reason": "goals_met", "outcome": "improved"},
        headers=bearer,
        json=True,
    ),
    "api-v1:activity_list": Expect(
        url("api-v1:activity_list"), api(403, **ACTIVITY_LISTERS), headers=bearer
    ),
    "api-v1:activity_detail": Expect(
        url("api-v1:activity_detail", activity_id=activity),
        api(404, **{HELP: 200, SUP: 200, LEAD: 200}),
        api(404),
        headers=bearer,
    ),
    # Who was at a meeting: those who read who takes part; the lead sees the activity, not who.
    "api-v1:session_detail": Expect(
        url("api-v1:session_detail", session_id=session),
        api(404, **{HELP: 200, SUP: 200, LEAD: 403}),
        api(404),
        headers=bearer,
    ),
    # Who may record the meeting gets past the policy to the missing If-Match (428).
    "api-v1:session_record": Expect(
        url("api-v1:session_record", session_id=session),
        api(404, **{HELP: 428, SUP: 428, LEAD: 403}),
        api(404),
        method="put",
        data=lambda w, inside: {"status": "held", "minutes": 45, "attendance": []},
        headers=bearer,
        json=True,
    ),
    # Planned by those who may hold activities (the social helper, the case worker, the
    # supervisor), at an institution the form offers: another municipality's is refused (422).
    "api-v1:activity_create": Expect(
        url("api-v1:activity_create"),
        api(403, **{HELP: 201, CW: 201, SUP: 201}),
        api(403, **{HELP: 422, CW: 422, SUP: 422}),
        method="post",
        data=new_activity,
        headers=bearer,
        json=True,
    ),
    # Who works the activity gets past the policy to the missing If-Match (428); the lead, 403.
    "api-v1:activity_update": Expect(
        url("api-v1:activity_update", activity_id=activity),
        api(404, **{HELP: 428, SUP: 428, LEAD: 403}),
        api(404),
        method="patch",
        data=lambda w, inside: {"title": "Parent club, Tuesdays"},
        headers=bearer,
        json=True,
    ),
    "api-v1:activity_session_create": Expect(
        url("api-v1:activity_session_create", activity_id=activity),
        api(404, **ACTIVITY_WORKERS),
        api(404),
        method="post",
        data=lambda w, inside: {"day": "2030-01-07", "start": "15:00", "minutes": 60},
        headers=bearer,
        json=True,
    ),
    "api-v1:activity_participant_create": Expect(
        url("api-v1:activity_participant_create", activity_id=activity),
        api(404, **ACTIVITY_WORKERS),
        api(404),
        method="post",
        data=lambda w, inside: {"name": "Another guest", "joined_on": date.today().isoformat()},
        headers=bearer,
        json=True,
    ),
    "api-v1:round_list": Expect(
        url("api-v1:round_list"), api(403, **ROUND_READERS), headers=bearer
    ),
    "api-v1:round_detail": Expect(
        url("api-v1:round_detail", round_id=round_pk),
        api(404, **ROUND_READERS),
        api(404),
        headers=bearer,
    ),
    # The educator of the child's class rates, past the policy to the missing If-Match (428);
    # those who see the round without rating it, 403.
    "api-v1:round_rating_record": Expect(
        url("api-v1:round_rating_record", round_id=round_pk, child_id=child),
        api(404, **{EDU: 428, LEAD: 403, HELP: 403, SUP: 403}),
        api(404),
        method="put",
        data=lambda w, inside: {"all_fine": True},
        headers=bearer,
        json=True,
    ),
    "api-v1:arrangement_list": Expect(
        url("api-v1:arrangement_list"), api(403, **CONTACT_WORKERS), headers=bearer
    ),
    "api-v1:arrangement_detail": Expect(
        url("api-v1:arrangement_detail", arrangement_id=arrangement),
        api(404, **CONTACT_WORKERS),
        api(404),
        headers=bearer,
    ),
    "api-v1:child_create": Expect(
        url("api-v1:child_create"),
        api(403, **{HELP: 201, CW: 201, SUP: 201}),
        method="post",
        data=new_child,
        headers=bearer,
        json=True,
    ),
    "api-v1:child_enrolment_list": Expect(
        url("api-v1:child_enrolment_list", child_id=child),
        api(404, **SEE_CHILDREN),
        api(404),
        headers=bearer,
    ),
    "api-v1:child_enrolment_create": Expect(
        url("api-v1:child_enrolment_create", child_id=child),
        api(404, **ADD_TO_RECORD),
        api(404),
        method="post",
        data=new_enrolment,
        headers=bearer,
        json=True,
    ),
    "api-v1:child_consent_list": Expect(
        url("api-v1:child_consent_list", child_id=child),
        api(404, **FULL_RECORD),
        api(404),
        headers=bearer,
    ),
    "api-v1:child_consent_create": Expect(
        url("api-v1:child_consent_create", child_id=child),
        api(404, **ADD_TO_RECORD),
        api(404),
        method="post",
        data=new_consent,
        headers=bearer,
        json=True,
    ),
    "api-v1:child_adult_create": Expect(
        url("api-v1:child_adult_create", child_id=child),
        api(404, **ADD_TO_RECORD),
        api(404),
        method="post",
        data=lambda w, inside: {
            "family_name": "Kiss",
            "given_name": "Ilona",
            "relationship_kind": "grandparent",
        },
        headers=bearer,
        json=True,
    ),
    "api-v1:child_relationship_list": Expect(
        url("api-v1:child_relationship_list", child_id=child),
        api(404, **FULL_RECORD),
        api(404),
        headers=bearer,
    ),
    # An adult is seen where one of their children's full records is: not by an educator.
    "api-v1:adult_detail": Expect(
        url("api-v1:adult_detail", adult_id=adult),
        api(404, **{HELP: 200, CW: 200, SUP: 200}),
        api(404),
        headers=bearer,
    ),
    "api-v1:adult_update": Expect(
        url("api-v1:adult_update", adult_id=adult),
        api(404, **{HELP: 428, CW: 428, SUP: 428}),
        api(404),
        method="patch",
        data=lambda w, inside: {"phone": "+36 30 123 4567"},
        headers=bearer,
        json=True,
    ),
    # The organisation tree: those who work in an institution read it, those who enrol
    # children their municipality's, its administrators manage it; no one another municipality's.
    "api-v1:institution_list": Expect(url("api-v1:institution_list"), api(200), headers=bearer),
    "api-v1:institution_detail": Expect(
        url("api-v1:institution_detail", institution_id=institution),
        api(404, **{EDU: 200, LEAD: 200, HELP: 200, CW: 200, SUP: 200, ADM: 200}),
        api(404),
        headers=bearer,
    ),
    "api-v1:group_list": Expect(url("api-v1:group_list"), api(200), headers=bearer),
    "api-v1:household_list": Expect(
        url("api-v1:household_list"), api(403, **FOSTER_WORKERS), headers=bearer
    ),
    "api-v1:household_detail": Expect(
        url("api-v1:household_detail", household_id=household),
        api(404, **FOSTER_WORKERS),
        api(404),
        headers=bearer,
    ),
    "api-v1:programme_list": Expect(
        url("api-v1:programme_list"), api(403, **PROGRAMME_READERS), headers=bearer
    ),
    "api-v1:programme_detail": Expect(
        url("api-v1:programme_detail", programme_id=programme),
        api(404, **PROGRAMME_READERS),
        api(404),
        headers=bearer,
    ),
}


def bearer_import(user) -> dict:
    """A token that may import rosters as well (the import scope)."""
    _token, raw = ApiToken.issue(user=user, name="matrix", scopes=["read", "write", "import"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": f"matrix-{next(_keys)}"}


def new_import(w, inside: bool) -> dict:
    import base64

    content = (
        "institution,group,full_name,birth_date\nA1 Általános Iskola,1.a,Kiss Anna,2018-01-02\n"
    )
    return {
        "municipality_id": (w.municipality_a if inside else w.municipality_b).pk,
        "file_name": "roster.csv",
        "content": base64.b64encode(content.encode()).decode(),
        "preset": "earlyhelp",
        "starts_on": "2026-09-01",
    }


# Roster imports: the administrator of the import's municipality, with a token that has the
# import scope; nobody else, and a token without the scope gets 403 (test_imports_api.py).
EXPECTATIONS |= {
    "api-v1:import_create": Expect(
        url("api-v1:import_create"),
        api(403, **{ADM: 201}),
        method="post",
        data=new_import,
        headers=bearer_import,
        json=True,
    ),
    "api-v1:import_detail": Expect(
        url("api-v1:import_detail", import_id=import_roster),
        api(404, **{ADM: 200}),
        api(404),
        headers=bearer_import,
    ),
    "api-v1:import_rows": Expect(
        url("api-v1:import_rows", import_id=import_roster),
        api(404, **{ADM: 200}),
        api(404),
        headers=bearer_import,
    ),
    "api-v1:import_decide": Expect(
        url("api-v1:import_decide", import_id=import_roster),
        api(404, **{ADM: 200}),
        api(404),
        method="post",
        data=lambda w, inside: {"decisions": [{"line": 2, "decision": "new"}]},
        headers=bearer_import,
        json=True,
    ),
    "api-v1:import_apply": Expect(
        url("api-v1:import_apply", import_id=import_roster),
        api(404, **{ADM: 200}),
        api(404),
        method="post",
        data=lambda w, inside: {"end_missing": False},
        headers=bearer_import,
        json=True,
    ),
}


def contact_meeting(name: str):
    """The address of the meeting of an arrangement inside or outside the scope."""

    def build(w, inside: bool) -> str:
        from django.urls import reverse

        from earlyhelp.contacts.tests.access_expectations import make_arrangement

        made = make_arrangement(w, inside)
        meeting_id = made.meetings.get().pk
        return reverse(name, kwargs={"arrangement_id": made.pk, "meeting_id": meeting_id})

    return build


def next_saturday(w, inside: bool) -> dict:
    """One meeting on a Saturday at least a week ahead: out of school hours, free."""
    from datetime import timedelta

    day = date.today() + timedelta(days=7)
    day += timedelta(days=(5 - day.weekday()) % 7)
    return {"first_day": day.isoformat(), "start": "10:00", "minutes": 60}


def household_carer(w, inside: bool) -> dict:
    """A training of the carer of the household just made (fostercare's make_household)."""
    from earlyhelp.fostercare.models import Carer

    municipality = w.municipality_a if inside else w.municipality_b
    carer = Carer.objects.filter(household__municipality=municipality).latest("pk")
    return {"carer_id": carer.pk, "on": date.today().isoformat(), "title": "First aid", "hours": 4}


def days_ago(days: int) -> str:
    from datetime import timedelta

    return (date.today() - timedelta(days=days)).isoformat()


def past_placement(w, inside: bool) -> dict:
    # Before the placement of the household made for the matrix (from 400 days ago).
    return {"child_id": child(w, inside), "kind": "temporary", "starts_on": days_ago(800),
            "ends_on": days_ago(500)}  # fmt: skip


def past_agreement(w, inside: bool) -> dict:
    # Before the agreement of the household made for the matrix (from 400 days ago).
    worker = (w.users if inside else w.outsiders)[CW]
    return {"key_worker_id": worker.pk, "signed_on": days_ago(800), "ends_on": days_ago(500)}


# Writes of contact and foster care: those who work the arrangement or the household (the case
# worker, the supervisor of its service) create (201) or, for a change of a meeting, get past the
# policy to the missing If-Match (428); nobody else sees them (404).
CONTACT_WRITERS = {CW: 201, SUP: 201}
CONTACT_CHANGERS = {CW: 428, SUP: 428}
FOSTER_WRITERS = {CW: 201, SUP: 201}
EXPECTATIONS |= {
    "api-v1:arrangement_meeting_plan": Expect(
        url("api-v1:arrangement_meeting_plan", arrangement_id=arrangement),
        api(404, **CONTACT_WRITERS),
        api(404),
        method="post",
        data=next_saturday,
        headers=bearer,
        json=True,
    ),
    "api-v1:arrangement_meeting_record": Expect(
        contact_meeting("api-v1:arrangement_meeting_record"),
        api(404, **CONTACT_CHANGERS),
        api(404),
        method="patch",
        data=lambda w, inside: {"present": "The child, the father and the worker."},
        headers=bearer,
        json=True,
    ),
    "api-v1:arrangement_meeting_cancel": Expect(
        contact_meeting("api-v1:arrangement_meeting_cancel"),
        api(404, **CONTACT_CHANGERS),
        api(404),
        method="post",
        data=lambda w, inside: {"status": "no_show", "caused_by": "visitor"},
        headers=bearer,
        json=True,
    ),
    "api-v1:household_visit_create": Expect(
        url("api-v1:household_visit_create", household_id=household),
        api(404, **FOSTER_WRITERS),
        api(404),
        method="post",
        data=lambda w, inside: {"kind": "key_worker_contact", "on": date.today().isoformat()},
        headers=bearer,
        json=True,
    ),
    "api-v1:household_training_create": Expect(
        url("api-v1:household_training_create", household_id=household),
        api(404, **FOSTER_WRITERS),
        api(404),
        method="post",
        data=household_carer,
        headers=bearer,
        json=True,
    ),
    "api-v1:household_placement_create": Expect(
        url("api-v1:household_placement_create", household_id=household),
        api(404, **FOSTER_WRITERS),
        api(404),
        method="post",
        data=past_placement,
        headers=bearer,
        json=True,
    ),
    "api-v1:household_agreement_create": Expect(
        url("api-v1:household_agreement_create", household_id=household),
        api(404, **FOSTER_WRITERS),
        api(404),
        method="post",
        data=past_agreement,
        headers=bearer,
        json=True,
    ),
}


def webhook(w, inside: bool) -> int:
    """Inside: a subscription of the educator of A (the matrix calls with each role's own
    token, so only the educator's is its own); outside: the educator of B's."""
    from earlyhelp.notifications.models import WebhookSubscription

    owner = (w.users if inside else w.outsiders)[EDU]
    return WebhookSubscription.objects.create(
        user=owner, url="http://127.0.0.1:9/earlyhelp", salt="matrix"
    ).pk


# Webhooks: every account subscribes to its own notifications; a subscription is its account's
# alone, nobody else's (404), an administrator's neither. Its owner gets past the policy to the
# missing If-Match (428) on a change.
OWNER_ONLY = {EDU: 200}
EXPECTATIONS |= {
    "api-v1:webhook_list": Expect(url("api-v1:webhook_list"), api(200), headers=bearer),
    "api-v1:webhook_create": Expect(
        url("api-v1:webhook_create"),
        api(201),
        method="post",
        data=lambda w, inside: {"url": "http://127.0.0.1:9/earlyhelp", "kinds": ["new_concern"]},
        headers=bearer,
        json=True,
    ),
    "api-v1:webhook_detail": Expect(
        url("api-v1:webhook_detail", webhook_id=webhook),
        api(404, **OWNER_ONLY),
        api(404),
        headers=bearer,
    ),
    "api-v1:webhook_update": Expect(
        url("api-v1:webhook_update", webhook_id=webhook),
        api(404, **{EDU: 428}),
        api(404),
        method="patch",
        data=lambda w, inside: {"active": False},
        headers=bearer,
        json=True,
    ),
    "api-v1:webhook_delete": Expect(
        url("api-v1:webhook_delete", webhook_id=webhook),
        api(404, **{EDU: 428}),
        api(404),
        method="delete",
        headers=bearer,
    ),
    "api-v1:webhook_rotate_secret": Expect(
        url("api-v1:webhook_rotate_secret", webhook_id=webhook),
        api(404, **{EDU: 428}),
        api(404),
        method="post",
        headers=bearer,
        json=True,
    ),
    "api-v1:webhook_delivery_list": Expect(
        url("api-v1:webhook_delivery_list", webhook_id=webhook),
        api(404, **OWNER_ONLY),
        api(404),
        headers=bearer,
    ),
    "api-v1:webhook_ping": Expect(
        url("api-v1:webhook_ping", webhook_id=webhook),
        api(404, **{EDU: 201}),
        api(404),
        method="post",
        headers=bearer,
        json=True,
    ),
}
