"""Who may manage a municipality's settings of its jurisdiction profile: its administrators."""

from earlyhelp.access.engine import configuration, register

register("protocols.municipalsetting", **configuration("municipality_id"))
register("protocols.closingday", **configuration("municipality_id"))
