"""Who may manage the organisation tree and its memberships: the administrators of each
municipality, for their municipality (and superusers everywhere)."""

from earlyhelp.access.engine import configuration, register

register("organisations.municipality", **configuration("pk"))
register(
    "organisations.service",
    "organisations.district",
    "organisations.institution",
    "organisations.membership",
    **configuration("municipality_id"),
)
register("organisations.group", **configuration("institution__municipality_id"))
register("organisations.districtpairing", **configuration("district__municipality_id"))


def workers(roles, *, municipalities=None, services=None, exclude=None):
    """The active people who hold one of `roles` today in these municipalities or services:
    the workers a form offers (co-workers, key workers, team members, meeting leads). One
    selector for every such choice, so that an account's pending or ended membership never
    makes it an option."""
    from earlyhelp.accounts.models import User
    from earlyhelp.organisations.models import Membership

    members = Membership.objects.active().filter(role__in=roles)
    if municipalities is not None:
        members = members.filter(municipality_id__in=municipalities)
    if services is not None:
        members = members.filter(service_id__in=services)
    people = User.objects.filter(pk__in=members.values("user_id"), is_active=True)
    if exclude:
        people = people.exclude(pk=exclude)
    return people.order_by("last_name", "first_name", "username")
