"""The concern lists say what each concern is about (its categories) to those who read its
content; the institution's lead, who sees only the status, does not get them."""

from django.urls import reverse

from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.organisations.models import Role


def test_the_reporter_and_the_triager_read_the_topic_on_the_list(world, signed_in):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1")
    )
    for role, url in ((Role.EDUCATOR, "concerns:mine"), (Role.SOCIAL_HELPER, "concerns:queue")):
        body = signed_in(world.users[role]).get(reverse(url)).content.decode()
        assert "Neglect" in body, role
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    assert "Neglect" not in lead.get(reverse("concerns:institution")).content.decode()
