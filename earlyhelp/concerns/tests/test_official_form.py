"""The official form of a concern as a PDF: each country's form in its own language, with
every diacritic intact, printed only for readers of the report and written to the audit log."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns import services
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.official_form import (
    FORMS,
    GENERIC,
    official_form_filename,
    render_official_form,
)
from earlyhelp.organisations.models import Role
from earlyhelp.protocols.models import Profile
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces made single spaces, so
    that a wrapped sentence reads as one."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def in_language(language: str | None, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def sent(reporter, institution, *children, **fields) -> Concern:
    """A concern the reporter wrote and sent; `children` are records or descriptions."""
    data = {
        "what_happened": "Came to school hungry three days this week.",
        "categories": ["neglect"],
        "parents_know": Concern.ParentsKnow.NO,
        "parents_not_told_why": "I could not reach them.",
        **fields,
    }
    concern = Concern.objects.create(
        municipality=institution.municipality, institution=institution, reporter=reporter, **data
    )
    for child in children:
        if isinstance(child, str):
            concern.children.create(described_as=child, role="sibling")
        else:
            concern.children.create(child=child, role="harmed")
    services.concern_submit(user=reporter, concern=concern, version=concern.version)
    concern.refresh_from_db()
    return concern


@pytest.fixture
def denmark(world):
    """A school in Ærøskøbing with Søren in 0.A, taught by Mette Ørsted."""
    jurisdiction = f.JurisdictionFactory(code="DK")
    town = f.MunicipalityFactory(jurisdiction=jurisdiction, name="Ærø", code="aeroe")
    school = f.InstitutionFactory(
        municipality=town, name="Ærøskøbing Skole", address="Søndergade 1, 5970 Ærøskøbing"
    )
    group = f.GroupFactory(institution=school, name="0.A")
    child = f.ChildFactory(
        municipality=town, given_name="Søren", family_name="Åberg", national_id="0101161234"
    )
    f.EnrolmentFactory(child=child, group=group)
    educator = f.UserFactory(username="mette", first_name="Mette", last_name="Ørsted")
    f.MembershipFactory(
        user=educator, role=Role.EDUCATOR, municipality=town, institution=school, group=group
    )
    # Someone receives the school's concerns.
    f.MembershipFactory(
        role=Role.SOCIAL_HELPER,
        municipality=town,
        institution=school,
        service=f.ServiceFactory(municipality=town),
    )
    return school, child, educator


def test_the_hungarian_signal_form_is_in_hungarian_with_its_accents(world):
    world.inside.national_id = "123456788"
    world.inside.save()
    concern = sent(
        world.users[Role.EDUCATOR],
        world.school_a1,
        world.inside,
        "Bence húga, 2.b",
        what_happened="Bence nyűgös és fáradt volt; ő maga mondta, hogy éhes.",
        child_words="Anya azt mondta, ma nincs vacsora.",
    )
    text = text_of(render_official_form(concern, user=world.users[Role.SOCIAL_HELPER]))
    hu = FORMS["HU"]
    for expected in (
        in_language("hu", hu.title),
        in_language("hu", "Date of birth"),
        "A1 Általános Iskola",
        "Szőke Bence",
        "2016.05.17.",  # as the Hungarian screens write a date, not 17.05.2016
        "123456788",
        "Szőke Anna",
        "Bence húga, 2.b",
        "Bence nyűgös és fáradt volt; ő maga mondta, hogy éhes.",
        "Anya azt mondta, ma nincs vacsora.",
        concern.received_at.astimezone(timezone.get_current_timezone()).strftime("%Y.%m.%d."),
        f"☒ {in_language('hu', hu.feedback)}",
    ):
        assert expected in text
    assert in_language("hu", hu.confidential) not in text
    assert official_form_filename(concern) == f"jelzolap-{concern.pk}.pdf"


def test_the_czech_notification_asks_to_be_notified_under_section_10(world):
    reporter = world.outsiders[Role.EDUCATOR]
    concern = sent(
        reporter,
        world.school_b1,
        world.abroad,
        what_happened="Jiří přišel do školy bez svačiny a řekl, že doma nic není; bolí ho ůsta.",
        child_words="Máma spí a táta křičí.",
        feedback_requested=True,
    )
    text = text_of(render_official_form(concern, user=world.outsiders[Role.SOCIAL_HELPER]))
    cz = FORMS["CZ"]
    for expected in (
        in_language("cs", cz.title),
        "ZŠ B1",
        "Jiří Řezníček",
        "Eva Řezníčková",
        "Jiří přišel do školy bez svačiny a řekl, že doma nic není; bolí ho ůsta.",
        "Máma spí a táta křičí.",
        f"☒ {in_language('cs', cz.feedback)}",
        "OSPOD",
    ):
        assert expected in text
    assert official_form_filename(concern) == f"oznameni-{concern.pk}.pdf"


def test_the_danish_notification_is_in_danish(world, denmark):
    school, child, educator = denmark
    concern = sent(
        educator,
        school,
        child,
        what_happened="Søren fortalte, at han får æbler og brød, og at hans bror går på Åløkke.",
        feedback_requested=False,
    )
    text = text_of(render_official_form(concern, user=educator))
    dk = FORMS["DK"]
    for expected in (
        in_language("da", dk.title),
        in_language("da", "Educator"),
        "Ærøskøbing Skole",
        "Søndergade 1, 5970 Ærøskøbing",
        "Mette Ørsted",
        "mette@example.org",
        "Søren Åberg",
        "Søren fortalte, at han får æbler og brød, og at hans bror går på Åløkke.",
        f"☐ {in_language('da', dk.feedback)}",
        "Socialforvaltningen",
    ):
        assert expected in text
    # The educator may not read Søren's full record: no date of birth, no CPR number.
    assert "0101161234" not in text and "01.01.2016" not in text
    assert official_form_filename(concern) == f"underretning-{concern.pk}.pdf"


def test_the_generic_form_is_in_the_readers_language(world):
    concern = sent(world.users[Role.EDUCATOR], world.school_a1, world.inside)
    generic = Profile.objects.published().filter(key=Profile.Key.GENERIC).first()
    Concern.objects.filter(pk=concern.pk).update(profile=generic)
    concern.refresh_from_db()
    with translation.override("da"):
        text = text_of(render_official_form(concern, user=concern.reporter))
    assert in_language("da", GENERIC.title) in text
    assert in_language("da", "Already done") in text
    assert "Szőke Bence" in text
    assert official_form_filename(concern) == f"concern-{concern.pk}.pdf"


def test_a_confidential_reporter_is_announced_at_the_top_of_every_page(world):
    concern = sent(
        world.users[Role.EDUCATOR],
        world.school_a1,
        world.inside,
        what_happened="Bence elmondta, hogy fél hazamenni. " * 150,
    )
    Concern.objects.filter(pk=concern.pk).update(reporter_confidential=True)
    concern.refresh_from_db()
    pdf = render_official_form(concern, user=concern.reporter)
    text = text_of(pdf)
    notice = in_language("hu", FORMS["HU"].confidential)
    assert text.index(notice) < text.index("A1 Általános Iskola")
    assert text.count(notice) == len(PdfReader(io.BytesIO(pdf)).pages) > 1


def test_an_anonymous_private_person_is_named_as_anonymous(world):
    concern = Concern.objects.create(
        municipality=world.municipality_a,
        institution=world.school_a1,
        reporter=None,
        reporter_kind=Concern.ReporterKind.CITIZEN,
        received_by=world.users[Role.SOCIAL_HELPER],
        channel=Concern.Channel.ORAL,
        status=Concern.Status.SUBMITTED,
        received_at=timezone.now(),
        what_happened="A neighbour called: the children are alone at night.",
        categories=["neglect"],
        parents_know=Concern.ParentsKnow.UNSURE,
    )
    concern.children.create(described_as="Two small children, Petőfi utca 3.", role="harmed")
    text = text_of(render_official_form(concern, user=world.users[Role.SOCIAL_HELPER]))
    assert in_language("hu", "Anonymous") in text
    assert str(world.users[Role.SOCIAL_HELPER]) in text
    assert "Petőfi utca 3." in text


def test_words_the_fonts_cannot_draw_are_marked_as_left_out(world):
    concern = sent(
        world.users[Role.EDUCATOR],
        world.school_a1,
        world.inside,
        child_words="Мама сказала: nincs vacsora 😢",
    )
    text = text_of(render_official_form(concern, user=concern.reporter))
    assert "[…]: nincs vacsora […]" in text


def test_a_long_report_runs_onto_several_pages(world):
    sentence = "Ő elmondta, hogy a bátyja ütötte meg, és fél hazamenni. "
    last = "Ez az utolsó mondat, ű és ő betűkkel."
    concern = sent(
        world.users[Role.EDUCATOR],
        world.school_a1,
        world.inside,
        what_happened=sentence * 200 + last,
    )
    pdf = render_official_form(concern, user=concern.reporter)
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 3
    text = text_of(pdf)
    assert last in text
    assert f"1/{pages}" in text and f"{pages}/{pages}" in text


def test_the_metadata_holds_only_the_title(world):
    concern = sent(world.users[Role.EDUCATOR], world.school_a1, world.inside)
    metadata = PdfReader(io.BytesIO(render_official_form(concern, user=concern.reporter))).metadata
    assert metadata.title == f"{in_language('hu', FORMS['HU'].title)} · " + in_language(
        "hu", "Concern #%(n)s"
    ) % {"n": concern.pk}
    assert metadata.author is None and metadata.subject is None
    assert "Szőke" not in str(dict(metadata))


def test_a_reader_of_the_report_downloads_it_and_the_read_is_audited(world, signed_in):
    concern = sent(world.users[Role.EDUCATOR], world.school_a1, world.inside)
    response = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("concerns:official_form", args=[concern.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="jelzolap-{concern.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(purpose="official_form")
    assert (event.action, event.object_type, event.object_id, event.actor_id) == (
        "view",
        "concerns.concern",
        str(concern.pk),
        world.users[Role.SOCIAL_HELPER].pk,
    )
    assert event.role == Role.SOCIAL_HELPER


def test_a_draft_has_no_official_form(world, signed_in):
    draft = Concern.objects.create(
        municipality=world.municipality_a,
        institution=world.school_a1,
        reporter=world.users[Role.EDUCATOR],
        what_happened="Not finished yet",
    )
    response = signed_in(world.users[Role.EDUCATOR]).get(
        reverse("concerns:official_form", args=[draft.pk])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(purpose="official_form").exists()


def test_the_concern_page_links_to_the_form_for_readers_of_the_report(world, signed_in):
    concern = sent(world.users[Role.EDUCATOR], world.school_a1, world.inside)
    link = reverse("concerns:official_form", args=[concern.pk])
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(concern.get_absolute_url())
    assert link in page.content.decode()
    lead = signed_in(world.users[Role.INSTITUTION_LEAD]).get(concern.get_absolute_url())
    assert link not in lead.content.decode()
