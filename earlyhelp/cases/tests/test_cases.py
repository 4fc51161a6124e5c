"""Cases as the people who work them tell it: Hanna the social helper opens a case from the
concern about Bence, the case worker leads it, the supervisor allocates it, the chronology keeps
everything, and nobody outside the team sees a restricted case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import selectors, services
from earlyhelp.cases.models import Case, CaseMember, ChronologyEntry
from earlyhelp.cases.tests.access_expectations import make_case
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _decided_concern(world, signed_in, decision="case"):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1")
    )
    concern = Concern.objects.latest("pk")
    signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": decision, "reason": "A family case is needed.", "version": concern.version},
    )
    concern.refresh_from_db()
    return concern


def _open(world, **changes):
    data = {
        "user": world.users[Role.SOCIAL_HELPER],
        "service": world.service_a,
        "title": "Kovács family",
        "kind": Case.Kind.FAMILY,
        "reason": "Three concerns about neglect since September.",
        "children": [world.inside],
    }
    data.update(changes)
    return services.case_open(**data)


def test_a_case_opened_from_a_concern_links_it_and_starts_the_chronology(world, signed_in):
    concern = _decided_concern(world, signed_in)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("cases:open"), {"concern": concern.pk})
    assert page.status_code == 200
    assert world.inside.pk in [c.pk for c in page.context["form"].fields["children"].queryset]
    response = client.post(
        reverse("cases:open"),
        {
            "concern": concern.pk,
            "title": "Kovács family",
            "kind": "family",
            "service": world.service_a.pk,
            "children": [world.inside.pk],
            "reason": "Repeated neglect.",
            "lead_worker": world.users[Role.CASE_WORKER].pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.lead_worker == world.users[Role.CASE_WORKER]
    assert concern.case_link.case == case
    kinds = list(case.chronology.order_by("pk").values_list("kind", flat=True))
    assert kinds == [ChronologyEntry.Kind.OPENED, ChronologyEntry.Kind.CONCERN]
    team = dict(case.members.values_list("user__username", "role"))
    assert team == {"case_worker-a": "lead", "social_helper-a": "social_helper"}
    # The lead worker is told, and can now read the child's record through the case.
    lead = world.users[Role.CASE_WORKER]
    assert Notification.objects.filter(recipient=lead, kind="case_allocated").exists()
    assert can(lead, Action.VIEW_DETAILS, world.inside)
    assert AuditEvent.objects.filter(object_type="cases.case", action="create").count() == 1


def test_a_concern_not_decided_for_a_case_cannot_open_one(world, signed_in):
    concern = _decided_concern(world, signed_in, decision="advice")
    with pytest.raises(ValidationError):
        _open(world, concerns=[concern])
    assert not Case.objects.exists()


def test_a_concern_joins_one_case_only(world, signed_in):
    concern = _decided_concern(world, signed_in)
    _open(world, concerns=[concern])
    with pytest.raises(ValidationError):
        _open(world, concerns=[concern])


def test_a_case_needs_a_child_the_opener_can_see(world):
    with pytest.raises(ValidationError):
        _open(world, children=[])
    with pytest.raises(PermissionDenied):
        _open(world, children=[world.abroad])
    with pytest.raises(PermissionDenied):
        _open(world, service=world.municipality_b.services.first())


def test_an_educator_opens_no_case(world):
    with pytest.raises(PermissionDenied):
        _open(world, user=world.users[Role.EDUCATOR])


def test_a_restricted_case_is_its_teams_alone(world):
    case = _open(world, restricted=True)
    supervisor = world.users[Role.SUPERVISOR]
    assert not visible(supervisor, Case.objects.all()).exists()
    assert visible(world.users[Role.SOCIAL_HELPER], Case.objects.all()).get() == case
    open_case = _open(world, title="Another")
    assert list(visible(supervisor, Case.objects.all())) == [open_case]
    assert can(supervisor, Action.ALLOCATE, open_case)
    assert not can(world.users[Role.SOCIAL_HELPER], Action.ALLOCATE, open_case)


def test_leaving_the_job_ends_the_teams_access(world):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    helper.memberships.update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    helper = type(helper).objects.get(pk=helper.pk)
    assert not visible(helper, Case.objects.filter(pk=case.pk)).exists()


def test_entries_are_never_changed_a_correction_points_to_the_entry(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    first = services.entry_add(
        user=helper,
        case=case,
        kind=ChronologyEntry.Kind.CONTACT,
        happened_at=timezone.now() - dt.timedelta(hours=2),
        title="Home visit",
        text="Mother at home, the flat was cold.",
    )
    fix = services.entry_add(
        user=helper,
        case=case,
        kind=ChronologyEntry.Kind.CONTACT,
        happened_at=timezone.now() - dt.timedelta(hours=2),
        title="Home visit",
        text="Mother and grandmother at home, the flat was cold.",
        corrects=first,
    )
    assert fix.corrects == first
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the database refuses
        ChronologyEntry.objects.filter(pk=first.pk).update(text="changed")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        ChronologyEntry.objects.filter(pk=first.pk).delete()
    page = signed_in(helper).get(reverse("cases:chronology", args=[case.pk]))
    assert first.pk in page.context["corrected"]
    assert "corrects “Home visit”" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "opened"}, "kind of entry"),
        ({"happened_at": timezone.now() + dt.timedelta(days=1)}, "future"),
        ({"title": "  "}, "title"),
    ],
)
def test_a_bad_entry_is_refused_with_a_reason(world, changes, message):
    case = _open(world)
    data = {
        "user": world.users[Role.SOCIAL_HELPER],
        "case": case,
        "kind": ChronologyEntry.Kind.NOTE,
        "happened_at": timezone.now(),
        "title": "Note",
        "text": "",
    }
    data.update(changes)
    with pytest.raises(ValidationError, match=message):
        services.entry_add(**data)


def test_the_entry_form_keeps_what_was_typed_when_refused(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:entry_add", args=[case.pk]),
        {"kind": "contact", "happened_at": future, "title": "Phone call", "text": "Long text"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Phone call" in content and "Long text" in content and "future" in content
    assert not case.chronology.filter(kind="contact").exists()


def test_the_supervisor_allocates_with_a_handover_and_a_stale_form_is_refused(world):
    case = _open(world)
    supervisor = world.users[Role.SUPERVISOR]
    worker = world.users[Role.CASE_WORKER]
    version = case.version
    services.case_allocate(
        user=supervisor, case=case, version=version, lead_worker=worker, handover="Visits weekly."
    )
    case.refresh_from_db()
    assert case.lead_worker == worker
    roles = dict(case.members.filter(left_at__isnull=True).values_list("user_id", "role"))
    assert roles[worker.pk] == "lead"
    assert roles[world.users[Role.SOCIAL_HELPER].pk] == "co_worker"
    entry = case.chronology.filter(kind="team").latest("pk")
    assert entry.text == "Visits weekly."
    with pytest.raises(StaleVersionError):
        services.case_allocate(
            user=supervisor,
            case=Case.objects.get(pk=case.pk),
            version=version,
            lead_worker=world.users[Role.SOCIAL_HELPER],
            handover="Back.",
        )
    with pytest.raises(PermissionDenied):
        services.case_allocate(
            user=world.users[Role.SOCIAL_HELPER],
            case=case,
            version=case.version,
            lead_worker=world.users[Role.SOCIAL_HELPER],
            handover="Mine.",
        )


def test_the_team_grows_and_shrinks_and_child_access_follows(world):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    newcomer = f.UserFactory()
    f.MembershipFactory(
        user=newcomer, role=Role.CASE_WORKER, municipality=world.municipality_a,
        service=world.service_a,
    )  # fmt: skip
    services.member_add(user=helper, case=case, member=newcomer, member_role="co_worker")
    assert can(newcomer, Action.VIEW_DETAILS, world.inside)
    with pytest.raises(ValidationError):
        services.member_add(user=helper, case=case, member=newcomer, member_role="co_worker")
    place = case.members.get(user=newcomer, left_at__isnull=True)
    services.member_leave(user=helper, case=case, membership=place)
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert not can(newcomer, Action.VIEW_DETAILS, world.inside)
    assert not visible(newcomer, Case.objects.all()).exists()
    lead = case.members.get(role="lead")
    with pytest.raises(ValidationError):
        services.member_leave(user=helper, case=case, membership=lead)


def test_an_outsider_cannot_join_the_team(world):
    case = _open(world)
    with pytest.raises(ValidationError):
        services.member_add(
            user=world.users[Role.SOCIAL_HELPER],
            case=case,
            member=world.outsiders[Role.CASE_WORKER],
            member_role="co_worker",
        )


def test_close_and_reopen_keep_the_history(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    refused = client.post(reverse("cases:close", args=[case.pk]), {"version": case.version})
    assert refused.status_code == 200 and Case.objects.get().status == "open"
    client.post(
        reverse("cases:close", args=[case.pk]),
        {"reason": "goals_met", "outcome": "improved", "note": "Stable.", "version": case.version},
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "improved"
    client.post(
        reverse("cases:close", args=[case.pk]),
        {"why": "A new concern arrived.", "version": case.version},
    )
    case.refresh_from_db()
    assert case.status == "open" and not case.outcome
    titles = list(
        case.chronology.filter(kind="closed").order_by("pk").values_list("title", flat=True)
    )
    assert titles[0].startswith("Case closed") and titles[1] == "Case reopened"


def test_the_case_page_asks_the_same_queries_however_long_the_chronology(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    client.get(case.get_absolute_url())
    chronology = reverse("cases:chronology", args=[case.pk])

    def count():
        queries = []
        for url in (case.get_absolute_url(), chronology):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            queries.append(len(captured))
        return queries

    few = count()
    now = timezone.now()
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            case=case,
            kind="note",
            happened_at=now - dt.timedelta(minutes=i),
            author=helper,
            title=f"Note {i}",
        )  # fmt: skip
        for i in range(1000)
    )
    assert count() == few
    page = client.get(chronology)
    assert len(page.context["chronology"].rows) == selectors.CHRONOLOGY_PAGE
    assert page.context["chronology"].next_cursor


def test_the_chronology_filters_by_kind(world, signed_in):
    case = _open(world)
    services.entry_add(
        user=world.users[Role.SOCIAL_HELPER], case=case, kind="session",
        happened_at=timezone.now(), title="Talk with Bence", text="",
    )  # fmt: skip
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("cases:chronology", args=[case.pk]), {"kind": "session"})
    assert [e.title for e in page.context["chronology"].rows] == ["Talk with Bence"]
    # The case page asked for a kind passes it on to the chronology it loads.
    detail = client.get(case.get_absolute_url(), {"kind": "session"}).content.decode()
    assert reverse("cases:chronology", args=[case.pk]) + "?kind=session" in detail


def test_the_chronology_is_a_section_loaded_on_demand_and_audited(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    detail = client.get(case.get_absolute_url())
    body = detail.content.decode()
    assert 'aria-label="Sections of this page"' in body and 'href="#chronology"' in body
    assert "chronology" not in detail.context
    url = reverse("cases:chronology", args=[case.pk])
    assert f'hx-get="{url}"' in body
    page = client.get(url)
    assert page.status_code == 200 and b"<html" in page.content
    fragment = client.get(url, {"kind": "opened"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    reads = AuditEvent.objects.filter(object_type="cases.case", purpose="case chronology")
    assert reads.count() == 2 and {e.action for e in reads} == {"view"}
    assert AuditEvent.objects.filter(object_type="cases.case", purpose="case").count() == 1
    assert signed_in(world.users[Role.EDUCATOR]).get(url).status_code == 404


def test_the_case_page_needs_a_bounded_number_of_queries(
    world, signed_in, django_assert_max_num_queries
):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    client.get(case.get_absolute_url())
    # 19 (the map, the programmes, the work with others, the Signs of Safety tools and the
    # chronology are sections of their own), and on PostgreSQL the audit row's advisory lock.
    with django_assert_max_num_queries(20):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_my_cases_and_the_teams_cases(world, signed_in):
    mine = _open(world)
    other = make_case(world, True)
    other.members.filter(user=world.users[Role.SOCIAL_HELPER]).delete()
    helper_list = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("cases:list"))
    assert [c.pk for c in helper_list.context["page"].rows] == [mine.pk]
    supervisor = signed_in(world.users[Role.SUPERVISOR])
    assert not supervisor.get(reverse("cases:list")).context["page"].rows
    team = supervisor.get(reverse("cases:list"), {"show": "team"})
    assert {c.pk for c in team.context["page"].rows} == {mine.pk, other.pk}
    loads = {row["lead_worker_id"]: row["cases"] for row in team.context["caseload"]}
    assert loads == {world.users[Role.SOCIAL_HELPER].pk: 1, world.users[Role.CASE_WORKER].pk: 1}


def test_a_case_opened_from_a_childs_page_offers_the_siblings(world, signed_in):
    sister = f.ChildFactory(
        municipality=world.municipality_a, given_name="Anna", family_name="Kovács"
    )
    f.EnrolmentFactory(group=world.class_a1, child=sister)
    f.RelationshipFactory(child=sister, adult=world.parent_inside)
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("cases:open"), {"child": world.inside.pk}
    )
    offered = set(page.context["form"].fields["children"].queryset.values_list("pk", flat=True))
    assert offered == {world.inside.pk, sister.pk}
    read = AuditEvent.objects.get(purpose="open a case")
    assert read.action == "list" and read.changes == {"children": sorted(offered)}
    assert not Child.objects.filter(pk__in=offered, restricted=True).exists()


def test_a_team_place_is_held_once(world):
    case = _open(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseMember.objects.create(case=case, user=case.lead_worker, role="co_worker")


def test_the_chronology_prints_as_a_pdf_and_the_export_is_audited(world, signed_in):
    from io import BytesIO

    from pypdf import PdfReader

    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    first = services.entry_add(
        user=helper, case=case, kind="contact", happened_at=timezone.now(),
        title="Családlátogatás", text="Řezníček úr is ott volt; Søren telefonált.",
    )  # fmt: skip
    services.entry_add(
        user=helper, case=case, kind="contact", happened_at=timezone.now(),
        title="Családlátogatás", text="Helyesen: a nagymama is ott volt.", corrects=first,
    )  # fmt: skip
    client = signed_in(helper)
    response = client.get(reverse("cases:chronology_pdf", args=[case.pk]), {"kind": "contact"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Řezníček" in text and "Søren" in text and "corrected" in text
    assert "Case opened" not in text  # only the contacts were asked for
    export = AuditEvent.objects.get(action="export", object_type="cases.case")
    assert export.changes == {"entries": 2, "kind": "contact"}
    outsider = signed_in(world.users[Role.EDUCATOR])
    assert outsider.get(reverse("cases:chronology_pdf", args=[case.pk])).status_code == 404


def test_a_key_document_is_checked_stored_and_served_through_the_policy(world, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from earlyhelp.core.tests import samples

    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    add = reverse("cases:document_add", args=[case.pk])
    fake = SimpleUploadedFile("order.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.post(add, {"title": "Court order", "file": fake})
    assert refused.status_code == 200 and "not a photo" in refused.content.decode()
    assert "Court order" in refused.content.decode() and not case.documents.exists()
    pdf = SimpleUploadedFile("order.html", samples.pdf(), content_type="text/html")
    assert client.post(add, {"title": "Court order", "file": pdf}).status_code == 302
    document = case.documents.get()
    assert document.content_type == "application/pdf" and document.original_name == "order.html"
    assert document.file.name.endswith(".pdf") and "order" not in document.file.name
    assert case.chronology.filter(kind="document").exists()
    response = client.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="order.pdf"'
    assert AuditEvent.objects.filter(purpose="case document", object_type="cases.case").exists()
    educator = signed_in(world.users[Role.EDUCATOR])
    assert educator.get(reverse("cases:document", args=[case.pk, document.pk])).status_code == 404


def test_family_members_take_part_in_the_case(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    add = reverse("cases:participant_add", args=[case.pk])
    page = client.get(add)
    assert [a.pk for a in page.context["form"].fields["adult"].queryset] == [world.parent_inside.pk]
    response = client.post(add, {"adult": world.parent_inside.pk, "role": "parent"})
    assert response.status_code == 302
    assert case.participants.get().adult == world.parent_inside
    again = client.post(add, {"adult": world.parent_inside.pk, "role": "parent"})
    assert again.status_code == 200 and "already takes part" in again.content.decode()
    with pytest.raises(ValidationError):
        services.participant_add(
            user=world.users[Role.SOCIAL_HELPER], case=case, adult=world.parent_abroad,
            participant_role="parent",
        )  # fmt: skip
    assert world.parent_inside.full_name in client.get(case.get_absolute_url()).content.decode()
