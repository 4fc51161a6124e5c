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
