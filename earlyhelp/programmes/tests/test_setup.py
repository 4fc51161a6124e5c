"""Setting a programme up: the manager creates it, its lead runs it, the analyst reads it and a
social helper does not see it; an indicator is a definition refused with the model's reasons
and said in words; documents are checked uploads; stale edits are refused; action areas are
drawn by managers."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from earlyhelp.activities.models import ActivityType
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import District, Role
from earlyhelp.programmes.models import (
    ActionArea,
    Document,
    Indicator,
    OutcomeCategory,
    Partner,
    Programme,
    TargetGroup,
)
from earlyhelp.programmes.words import definition_in_words

pytestmark = pytest.mark.django_db


def _programme(world, **extra) -> Programme:
    return Programme.objects.create(
        municipality=world.municipality_a, name="Early help 2030", funder="EU ESF+",
        starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
        created_by=world.users[Role.MANAGER], **extra,
    )  # fmt: skip


def _programme_post(world, **extra) -> dict:
    data = {
        "municipality": world.municipality_a.pk, "name": "Families first", "funder": "EU ESF+",
        "reference": "EFOP-1.2.3", "starts_on": "2025-01-01", "ends_on": "2026-12-31",
        "budget": "1000000", "currency": "HUF", "aid_rate": "85", "lead": "",
        "services": [world.service_a.pk], "institutions": [world.school_a1.pk],
        "description": "Help for families in the action area.",
    }  # fmt: skip
    data.update(extra)
    return data


# --- The programme ---------------------------------------------------------------------------


def test_the_manager_creates_a_programme_with_its_lead(world, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    assert "New programme" in client.get(reverse("programmes:list")).content.decode()
    lead = world.users[Role.CASE_WORKER]
    response = client.post(reverse("programmes:create"), _programme_post(world, lead=lead.pk))
    programme = Programme.objects.get(name="Families first")
    assert response.status_code == 302
    assert response.url == reverse("programmes:setup", args=[programme.pk])
    assert programme.municipality == world.municipality_a
    assert programme.lead == lead and programme.created_by == world.users[Role.MANAGER]
    assert programme.aid_rate == Decimal("85") and programme.currency == "HUF"
    assert list(programme.services.all()) == [world.service_a]
    assert AuditEvent.objects.filter(
        action="create", object_type="programmes.programme", object_id=str(programme.pk)
    ).exists()


def test_a_lead_from_another_municipality_is_not_offered(world, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    outsider = world.outsiders[Role.CASE_WORKER]
    response = client.post(reverse("programmes:create"), _programme_post(world, lead=outsider.pk))
    assert response.status_code == 200
    assert not Programme.objects.filter(name="Families first").exists()
    assert "Families first" in response.content.decode()  # what was typed is kept


def test_a_programme_ending_before_it_starts_is_refused(world, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    response = client.post(
        reverse("programmes:create"), _programme_post(world, ends_on="2024-01-01")
    )
    assert response.status_code == 200
    assert not Programme.objects.exists()


def test_the_lead_edits_the_programme(world, signed_in):
    lead = world.users[Role.CASE_WORKER]
    programme = _programme(world, lead=lead)
    client = signed_in(lead)
    assert client.get(reverse("programmes:list")).status_code == 200
    assert client.get(reverse("programmes:edit", args=[programme.pk])).status_code == 200
    data = _programme_post(world, name="Early help 2030+", lead=lead.pk, version=1)
    response = client.post(reverse("programmes:edit", args=[programme.pk]), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Early help 2030+" and programme.version == 2
    event = AuditEvent.objects.filter(action="change", object_id=str(programme.pk)).get()
    assert event.changes["name"] == ["Early help 2030", "Early help 2030+"]


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("programmes:edit", args=[programme.pk])
    client.post(url, _programme_post(world, name="First save", version=1))
    response = client.post(url, _programme_post(world, name="Second save", version=1))
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert "Second save" in response.content.decode()
    programme.refresh_from_db()
    assert programme.name == "First save"


def test_the_analyst_reads_but_does_not_change(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.users[Role.ANALYST])
    page = client.get(reverse("programmes:list")).content.decode()
    assert "Early help 2030" in page and "New programme" not in page
    setup = client.get(reverse("programmes:setup", args=[programme.pk]))
    assert setup.status_code == 200
    assert reverse("programmes:edit", args=[programme.pk]) not in setup.content.decode()
    assert client.get(reverse("programmes:create")).status_code == 403
    assert client.get(reverse("programmes:edit", args=[programme.pk])).status_code == 403
    new_partner = reverse("programmes:item_new", args=[programme.pk, "partners"])
    assert client.post(new_partner, {"name": "X", "role": "consortium"}).status_code == 403
    assert not Partner.objects.exists()


def test_a_social_helper_does_not_see_programmes(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    assert client.get(reverse("programmes:list")).status_code == 403
    assert client.get(reverse("programmes:create")).status_code == 403
    assert client.get(reverse("programmes:setup", args=[programme.pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert reverse("programmes:list") not in home


def test_the_manager_of_another_municipality_does_not_see_it(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.outsiders[Role.MANAGER])
    assert "Early help 2030" not in client.get(reverse("programmes:list")).content.decode()
    assert client.get(reverse("programmes:setup", args=[programme.pk])).status_code == 404


def test_the_list_says_whether_a_programme_runs_now(world, signed_in):
    _programme(world, lead=None)
    Programme.objects.create(
        municipality=world.municipality_a, name="Old one", starts_on=date(2015, 1, 1),
        ends_on=date(2016, 1, 1), created_by=world.users[Role.MANAGER],
    )  # fmt: skip
    client = signed_in(world.users[Role.MANAGER])
    response = client.get(reverse("programmes:list"))
    rows = {p.name: p.running for p in response.context["programmes"]}
    assert rows == {"Early help 2030": date(2025, 1, 1) <= date.today() <= date(2027, 12, 31),
                    "Old one": False}  # fmt: skip


# --- The set-up's items ----------------------------------------------------------------------


def test_partners_target_groups_and_outcomes_are_added_changed_and_removed(world, signed_in):
    programme = _programme(world)
    area = ActionArea.objects.create(municipality=world.municipality_a, name="Riverside")
    client = signed_in(world.users[Role.MANAGER])
    new = lambda kind: reverse("programmes:item_new", args=[programme.pk, kind])  # noqa: E731
    client.post(new("partners"), {"name": "NGO", "role": "consortium", "service": ""})
    partner = Partner.objects.get(programme=programme)
    made = client.post(
        new("groups"),
        {"name": "From the action area", "people": "children", "min_age": "6", "max_age": "14",
         "settings": ["school", "kindergarten"], "disadvantaged": "on",
         "legal_basis": "Gyvt. 67/A. §",
         "area": "inside", "action_area": area.pk, "target_share": "60",
         "share_rule": "at_least"},
    )  # fmt: skip
    assert made.status_code == 302, made.context["form"].errors
    group = TargetGroup.objects.get(programme=programme)
    assert group.settings == ["school", "kindergarten"] and group.action_area == area
    client.post(new("outcomes"), {"code": "housing_kept", "name": ""})
    client.post(new("outcomes"), {"code": "own", "name": "Debt settled"})
    codes = set(programme.outcome_categories.values_list("code", "name"))
    assert ("housing_kept", "") in codes and ("own-debt-settled", "Debt settled") in codes
    edit = reverse("programmes:item_edit", args=[programme.pk, "partners", partner.pk])
    client.post(edit, {"name": "NGO Ltd", "role": "implementing", "service": "", "version": 1})
    partner.refresh_from_db()
    assert partner.name == "NGO Ltd" and partner.version == 2
    # A stale edit is refused, keeping what was typed, and the partner stays as it was.
    stale = client.post(
        edit, {"name": "NGO Typed", "role": "implementing", "service": "", "version": 1}
    )
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    assert "NGO Typed" in stale.content.decode()
    partner.refresh_from_db()
    assert partner.name == "NGO Ltd"
    remove = reverse("programmes:item_remove", args=[programme.pk, "partners", partner.pk])
    assert client.post(remove).status_code == 302
    assert not Partner.objects.exists()


def test_a_target_group_inside_the_area_needs_the_area(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.users[Role.MANAGER])
    response = client.post(
        reverse("programmes:item_new", args=[programme.pk, "groups"]),
        {"name": "Inside", "people": "any", "area": "inside", "share_rule": "at_least"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["action_area"]
    assert not TargetGroup.objects.exists()


def _indicator_post(**extra) -> dict:
    data = {
        "name": "Hours of group work", "unit": "hours", "aggregation": "sum", "role": "any",
        "target_group": "", "outcome": "", "period_starts": "", "period_ends": "",
        "target_value": "400", "target_date": "2027-12-31",
    }  # fmt: skip
    data.update(extra)
    return data


def test_an_indicator_that_cannot_be_computed_is_refused_next_to_its_fields(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("programmes:item_new", args=[programme.pk, "indicators"])
    response = client.post(url, _indicator_post(aggregation="count"))
    errors = response.context["form"].errors
    assert "can be added up only as: Sum" in errors["aggregation"][0]
    assert response.context["form"]["name"].value() == "Hours of group work"
    response = client.post(url, _indicator_post(name="Events", unit="events", aggregation="count"))
    assert response.context["form"].errors["activity_types"] == [
        "Choose the types of activity that are the events."
    ]
    response = client.post(url, _indicator_post(unit="children", aggregation="share"))
    assert "A share needs the target group" in response.context["form"].errors["target_group"][0]
    response = client.post(url, _indicator_post(unit="outcomes", aggregation="count"))
    assert response.context["form"].errors["outcome"] == ["Choose the outcome that is counted."]
    assert not Indicator.objects.exists()
    # The definition is said in words as typed, refused or not.
    assert "outcomes reached" in response.context["preview"]


def test_an_indicator_is_saved_and_said_in_words(world, signed_in):
    programme = _programme(world)
    group = TargetGroup.objects.create(programme=programme, name="From the action area")
    club = ActivityType.objects.get(municipality=world.municipality_a, code="parent_club")
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("programmes:item_new", args=[programme.pk, "indicators"])
    response = client.post(
        url,
        _indicator_post(
            name="Children reached", unit="children", aggregation="count", role="participant",
            target_group=group.pk, activity_types=[club.pk], target_value="120",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert list(indicator.activity_types.all()) == [club]
    words = definition_in_words(indicator)
    assert words.startswith(
        "distinct children taking part in an activity (activities of the types: Parent club)"
    )
    assert "who belong to the target group “From the action area”" in words
    assert "target 120 by" in words
    setup = client.get(reverse("programmes:setup", args=[programme.pk])).content.decode()
    assert "who belong to the target group “From the action area”" in setup
    # A stale edit of the indicator is refused.
    edit = reverse("programmes:item_edit", args=[programme.pk, "indicators", indicator.pk])
    client.post(edit, _indicator_post(name="A", unit="children", aggregation="count", version=1))
    stale = client.post(
        edit, _indicator_post(name="B", unit="children", aggregation="count", version=1)
    )
    assert "Someone else changed this record" in stale.content.decode()
    indicator.refresh_from_db()
    assert indicator.name == "A"


def test_the_words_of_foster_carers_and_a_ceiling(world):
    programme = _programme(world)
    group = TargetGroup.objects.create(programme=programme, name="From the action area")
    indicator = Indicator(
        programme=programme, unit="carers", role="foster_carer", target_group=group,
        period_starts=date(2025, 1, 1), period_ends=date(2025, 12, 31),
        target_value=Decimal("30"), target_date=date(2025, 12, 31),
    )  # fmt: skip
    words = definition_in_words(indicator, [])
    assert words.startswith("distinct foster carers with a support agreement in force who")
    assert "who belong to the target group “From the action area”" in words
    days = Indicator(
        programme=programme, unit="resolution_days", aggregation="median",
        target_value=Decimal("90"), target_date=date(2026, 1, 1), lower_is_better=True,
    )  # fmt: skip
    said = definition_in_words(days, [])
    assert said.startswith("median days from referral to resolution during the period")
    assert "at most 90 by" in said


def test_activity_types_of_another_municipality_are_refused(world):
    programme = _programme(world)
    foreign = ActivityType.objects.filter(municipality=world.municipality_b).first()
    indicator = Indicator(
        programme=programme, name="x", unit="activities", target_value=1,
        target_date=date(2026, 1, 1),
    )  # fmt: skip
    with pytest.raises(Exception) as refused:
        indicator.clean(activity_types=[foreign])
    assert "activity_types" in refused.value.message_dict


# --- Documents -------------------------------------------------------------------------------


def test_a_document_that_is_not_a_pdf_or_photo_is_refused(world, signed_in):
    programme = _programme(world)
    client = signed_in(world.users[Role.MANAGER])
    upload = SimpleUploadedFile("agreement.docx", b"PK\x03\x04 not a pdf", "application/pdf")
    response = client.post(
        reverse("programmes:document_add", args=[programme.pk]),
        {"title": "Grant agreement", "file": upload},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Grant agreement" in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_is_kept_and_downloaded_privately(world, signed_in):
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    from io import BytesIO

    buffer = BytesIO()
    pdf.save(buffer)
    programme = _programme(world)
    client = signed_in(world.users[Role.MANAGER])
    response = client.post(
        reverse("programmes:document_add", args=[programme.pk]),
        {"title": "Grant agreement", "file": SimpleUploadedFile("g.pdf", buffer.getvalue())},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    download = signed_in(world.users[Role.ANALYST]).get(
        reverse("programmes:document", args=[document.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    assert helper.get(reverse("programmes:document", args=[document.pk])).status_code == 404


# --- Action areas ----------------------------------------------------------------------------


def test_the_manager_draws_an_action_area(world, signed_in):
    north = District.objects.create(municipality=world.municipality_a, name="North")
    foreign = District.objects.create(municipality=world.municipality_b, name="Severní")
    client = signed_in(world.users[Role.MANAGER])
    refused = client.post(
        reverse("programmes:area_create"),
        {"municipality": world.municipality_a.pk, "name": "Riverside", "districts": [foreign.pk]},
    )
    assert refused.status_code == 200 and not ActionArea.objects.exists()
    client.post(
        reverse("programmes:area_create"),
        {"municipality": world.municipality_a.pk, "name": "Riverside", "districts": [north.pk],
         "streets": "Palotai út\n\nKossuth utca\n"},
    )  # fmt: skip
    area = ActionArea.objects.get()
    assert area.street_list() == ["Palotai út", "Kossuth utca"]
    assert list(area.districts.all()) == [north]
    client.post(
        reverse("programmes:area_edit", args=[area.pk]),
        {"name": "Riverside and hill", "districts": [north.pk], "streets": "", "version": 1},
    )
    area.refresh_from_db()
    assert area.name == "Riverside and hill" and area.version == 2
    stale = client.post(
        reverse("programmes:area_edit", args=[area.pk]),
        {"name": "Again", "districts": [], "streets": "", "version": 1},
    )
    assert "Someone else changed this record" in stale.content.decode()
    analyst = signed_in(world.users[Role.ANALYST])
    assert analyst.get(reverse("programmes:areas")).status_code == 200
    assert analyst.get(reverse("programmes:area_edit", args=[area.pk])).status_code == 403


def test_an_outcome_category_used_by_an_indicator_is_not_removed(world, signed_in):
    programme = _programme(world)
    category = OutcomeCategory.objects.create(programme=programme, code="housing_kept")
    Indicator.objects.create(
        programme=programme, name="Kept", unit="outcomes", outcome=category, target_value=5,
        target_date=date(2026, 1, 1),
    )  # fmt: skip
    client = signed_in(world.users[Role.MANAGER])
    remove = reverse("programmes:item_remove", args=[programme.pk, "outcomes", category.pk])
    response = client.post(remove, follow=True)
    assert "still used" in response.content.decode()
    assert OutcomeCategory.objects.filter(pk=category.pk).exists()


def test_a_share_of_children_in_a_group_of_adults_is_refused(world, signed_in):
    programme = _programme(world)
    adults = TargetGroup.objects.create(programme=programme, name="Parents", people="adults")
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("programmes:item_new", args=[programme.pk, "indicators"])
    response = client.post(
        url,
        _indicator_post(
            name="Children", unit="children", aggregation="share", target_group=adults.pk,
            target_value="75",
        ),
    )  # fmt: skip
    assert response.context["form"].errors["target_group"] == [
        "This target group is of adults only: choose a group that includes children."
    ]
    assert not Indicator.objects.exists()
    children = TargetGroup.objects.create(programme=programme, name="Pupils", people="children")
    indicator = Indicator(
        programme=programme, name="Parents", unit="adults", aggregation="share",
        target_group=children, target_value=50, target_date=programme.ends_on,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        indicator.clean()
    assert "includes adults" in refused.value.message_dict["target_group"][0]
    everyone = TargetGroup.objects.create(programme=programme, name="Everyone")
    indicator.target_group = everyone
    indicator.clean()


def test_a_changed_definition_drops_the_old_values_until_the_next_rebuild(world, signed_in):
    from earlyhelp.programmes.aggregates import Computation, IndicatorPoint
    from earlyhelp.programmes.figures import programme_figures, rebuild

    programme = _programme(world)
    indicator = Indicator.objects.create(
        programme=programme, name="Hours", unit="hours", aggregation="sum",
        target_value=400, target_date=programme.ends_on,
    )  # fmt: skip
    kept = Indicator.objects.create(
        programme=programme, name="Meetings", unit="meetings", aggregation="count",
        target_value=40, target_date=programme.ends_on,
    )  # fmt: skip
    rebuild([programme.pk], today=programme.starts_on)
    assert IndicatorPoint.objects.filter(indicator=indicator).exists()
    client = signed_in(world.users[Role.MANAGER])
    edit = reverse("programmes:item_edit", args=[programme.pk, "indicators", indicator.pk])
    # A new name or target changes no value: the values stay.
    response = client.post(edit, _indicator_post(name="Hours of work", version=indicator.version))
    assert response.status_code == 302
    assert IndicatorPoint.objects.filter(indicator=indicator).exists()
    indicator.refresh_from_db()
    response = client.post(
        edit,
        _indicator_post(
            name="Meetings", unit="meetings", aggregation="count", version=indicator.version
        ),
    )
    assert response.status_code == 302
    assert not IndicatorPoint.objects.filter(indicator=indicator).exists()
    assert IndicatorPoint.objects.filter(indicator=kept).exists()
    assert Computation.objects.get(programme=programme).summary["outdated"] is True
    figures = programme_figures(programme)
    assert figures.outdated
    assert [f.value for f in figures.indicators] == [None, 0]
    page = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert "Not computed yet" in page
    rebuild([programme.pk], today=programme.starts_on)
    assert not programme_figures(programme).outdated
    assert programme_figures(programme).indicators[0].value == 0
