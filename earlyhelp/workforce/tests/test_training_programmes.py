"""A staff training counts for the funded programmes it is linked to (the programmes issue):
its attendees are staff reached, counted once with those met at workshops, as the Czech
project's "at least 10 workers supported" asks. The form offers only the programmes the user
may link, and keeps links to others."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from earlyhelp.organisations.models import Role
from earlyhelp.programmes.figures import indicator_value, rebuild
from earlyhelp.programmes.models import Indicator
from earlyhelp.programmes.tests import builders as pb
from earlyhelp.workforce.models import Attendance, TrainingEvent
from earlyhelp.workforce.tests.builders import event, profile_of


def test_the_attendees_of_a_linked_training_are_staff_reached(world):
    prog = pb.programme(world, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    staff = pb.indicator(prog, Indicator.Unit.STAFF, target=10)
    training = event(world, True, on=date(2026, 3, 3))
    training.programmes.add(prog)
    for role in (Role.SOCIAL_HELPER, Role.CASE_WORKER):
        Attendance.objects.create(
            event=training, staff=profile_of(world.users[role]), hours=training.hours
        )
    elsewhere = event(world, True, on=date(2026, 4, 4))  # not linked: not counted
    Attendance.objects.create(
        event=elsewhere, staff=profile_of(world.users[Role.SUPERVISOR]), hours=Decimal(2)
    )
    rebuild([prog.pk], today=date(2026, 6, 30))
    assert indicator_value(staff) == 2
    assert indicator_value(staff, date(2026, 4, 1), date(2026, 6, 30)) == 0


def test_the_supervisor_links_a_training_to_a_programme_of_the_municipality(world, signed_in):
    prog = pb.programme(world, starts_on=date(2026, 1, 1), ends_on=date(2030, 12, 31))
    other = pb.programme(world, municipality=world.municipality_b, name="Elsewhere")
    client = signed_in(world.users[Role.SUPERVISOR])
    page = client.get(reverse("workforce:training_create"))
    offered = list(page.context["form"].fields["programmes"].queryset)
    assert prog in offered and other not in offered
    answer = client.post(
        reverse("workforce:training_create"),
        {
            "municipality": world.municipality_a.pk,
            "title": "Motivational interviewing",
            "starts_on": "2026-03-03",
            "ends_on": "2026-03-03",
            "hours": "8",
            "programmes": [prog.pk],
        },
    )
    assert answer.status_code == 302
    made = TrainingEvent.objects.get(title="Motivational interviewing")
    assert list(made.programmes.all()) == [prog]
    assert prog.name in client.get(reverse("workforce:training", args=[made.pk])).content.decode()
