"""The concern lists say whom and what each concern is about: the child by name where the
reader may see the child's record, the categories; "#26" alone no longer. The names shown are
a read, audited as a list; the institution's lead, who sees only the status, gets no names."""

from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern, ConcernChild
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.organisations.models import Role


def _sent(world, signed_in, **changes):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1", **changes)
    )
    return Concern.objects.order_by("-pk").first()


def test_my_concerns_and_the_queue_name_the_child_and_the_topic(world, signed_in):
    concern = _sent(world, signed_in)
    name = world.inside.full_name
    for role, url in ((Role.EDUCATOR, "concerns:mine"), (Role.SOCIAL_HELPER, "concerns:queue")):
        page = signed_in(world.users[role]).get(reverse(url))
        body = page.content.decode()
        assert name in body, role
        assert "Neglect" in body or "neglect" in body.lower()
        assert f"#{concern.pk}" in body
        event = AuditEvent.objects.filter(action="list", object_type="people.child").last()
        assert event.changes == {"children": [world.inside.pk]}


def test_a_child_the_reader_may_not_see_is_not_named(world, signed_in):
    concern = _sent(world, signed_in)
    link = ConcernChild.objects.get(concern=concern)
    # The child is now someone the social helper does not see (a child of municipality B).
    link.child = world.abroad
    link.save()
    body = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("concerns:queue")).content
    assert world.abroad.full_name not in body.decode()
    assert f"Concern #{concern.pk}" in body.decode()


def test_a_child_not_in_the_roster_is_named_as_the_reporter_described_them(world, signed_in):
    concern = _sent(
        world,
        signed_in,
        **{"children-0-child": "", "children-0-described_as": "Kis Peti, 2.b"},
    )
    assert ConcernChild.objects.get(concern=concern).described_as == "Kis Peti, 2.b"
    body = signed_in(world.users[Role.EDUCATOR]).get(reverse("concerns:mine")).content.decode()
    assert "Kis Peti, 2.b" in body


def test_the_institutions_lead_sees_the_status_without_names(world, signed_in):
    _sent(world, signed_in)
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    body = lead.get(reverse("concerns:institution")).content.decode()
    assert world.inside.full_name not in body
