"""The workforce slice of the bench data: a staff profile for every social helper, case worker
and supervisor of the bench municipalities, the institutions each social helper serves (those
of their memberships), and one employment row in their service with 20, 30 or 40 hours a week.

Written by the database itself (INSERT … SELECT over the accounts and memberships already
there), so it runs both at the end of `generate()` and against an existing bench database that
was generated before the workforce had these tables (`manage.py bench_extend_workforce`). It is
idempotent: what exists is left as it is. Follow it with `manage.py rebuild_coverage`.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.organisations.models import Membership, Municipality, Role
from earlyhelp.sampledata.bench.organisations import CODE_PREFIX
from earlyhelp.workforce.models import Employment, StaffProfile

WORKER_ROLES = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


def write_workforce(today: date | None = None) -> dict[str, int]:
    """Write the missing profiles, institutions served and employment rows of the bench
    staff; returns the rows written per table."""
    today = today or timezone.localdate()
    now = timezone.now()
    q = connection.ops.quote_name
    profile = q(StaffProfile._meta.db_table)
    served = q(StaffProfile.institutions.through._meta.db_table)
    employment = q(Employment._meta.db_table)
    user = q(User._meta.db_table)
    membership = q(Membership._meta.db_table)
    municipality = q(Municipality._meta.db_table)
    roles = ", ".join(["%s"] * len(WORKER_ROLES))
    bench = f"SELECT id FROM {municipality} WHERE code LIKE %s"  # noqa: S608 - table names from our models
    pattern = f"{CODE_PREFIX}%"
    # The first day of the school year before `today`: when their employment started.
    start = date(today.year - (today.month < 9), 9, 1)
    written = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {profile} (created_at, updated_at, version, user_id, municipality_id)"  # noqa: S608 - table names from our models
            f" SELECT %s, %s, 1, u.id, u.municipality_id FROM {user} u"
            f" WHERE u.municipality_id IN ({bench})"
            f" AND EXISTS (SELECT 1 FROM {membership} m WHERE m.user_id = u.id"
            f"  AND m.role IN ({roles}))"
            f" AND NOT EXISTS (SELECT 1 FROM {profile} p WHERE p.user_id = u.id)",
            [now, now, pattern, *WORKER_ROLES],
        )
        written[StaffProfile._meta.db_table] = max(cursor.rowcount, 0)
        cursor.execute(
            f"INSERT INTO {served} (staffprofile_id, institution_id)"  # noqa: S608 - table names from our models
            f" SELECT DISTINCT p.id, m.institution_id FROM {membership} m"
            f" JOIN {profile} p ON p.user_id = m.user_id"
            f" WHERE m.role = %s AND m.institution_id IS NOT NULL"
            f" AND p.municipality_id IN ({bench})"
            f" AND NOT EXISTS (SELECT 1 FROM {served} s"
            f"  WHERE s.staffprofile_id = p.id AND s.institution_id = m.institution_id)",
            [Role.SOCIAL_HELPER, pattern],
        )
        written[StaffProfile.institutions.through._meta.db_table] = max(cursor.rowcount, 0)
        service = (
            f"SELECT MIN(m.service_id) FROM {membership} m"  # noqa: S608 - table names from our models
            f" WHERE m.user_id = p.user_id AND m.service_id IS NOT NULL"
        )
        cursor.execute(
            f"INSERT INTO {employment} (created_at, updated_at, version, profile_id, service_id,"  # noqa: S608 - table names from our models
            f" hours_per_week, starts_on, ends_on)"
            f" SELECT %s, %s, 1, p.id, ({service}),"
            f" CASE p.id %% 4 WHEN 0 THEN 20 WHEN 1 THEN 30 ELSE 40 END, %s, NULL"
            f" FROM {profile} p WHERE p.municipality_id IN ({bench})"
            f" AND NOT EXISTS (SELECT 1 FROM {employment} e WHERE e.profile_id = p.id)"
            f" AND ({service}) IS NOT NULL",
            [now, now, start, pattern],
        )
        written[Employment._meta.db_table] = max(cursor.rowcount, 0)
    return written
