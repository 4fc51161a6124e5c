"""The numbers to call when a child is in danger now: each country's, named on the report
forms as links a phone can call, and brought up when immediate danger is ticked."""

from django.urls import reverse

from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.organisations.emergency import emergency_lines
from earlyhelp.organisations.models import Jurisdiction, Role


def numbers(code: str) -> list[str]:
    return [
        line.number for line in emergency_lines(Jurisdiction(code=code, emergency_number="112"))
    ]


def test_each_country_names_its_own_lines_after_the_general_number():
    assert numbers("CZ") == ["112", "158", "155"]
    assert numbers("HU") == ["112", "107", "104"]
    assert numbers("DK") == ["112", "114"]
    assert [line.number for line in emergency_lines(None)] == ["112"]


def test_the_czech_report_form_names_police_and_ambulance_as_calls(world, signed_in):
    html = signed_in(world.outsiders[Role.EDUCATOR]).get(reverse("concerns:report"))
    body = html.content.decode()
    for number in ("112", "158", "155"):
        assert f'href="tel:{number}"' in body
    assert "Police: 158" in body and "Ambulance: 155" in body
    # Ticking immediate danger brings them up as large buttons (the stylesheet shows this block
    # only while the box is ticked).
    assert 'class="danger-box__call"' in body


def test_after_sending_in_danger_the_reporter_gets_every_line_to_call(world, signed_in):
    educator = signed_in(world.users[Role.EDUCATOR])
    response = educator.post(
        reverse("concerns:report"), report_data(world, send="1", immediate_danger="on"), follow=True
    )
    body = response.content.decode()
    assert "call 112" in body
    for number in ("112", "107", "104"):
        assert f'href="tel:{number}"' in body
