"""Counting a worker's load: the open cases they lead, the meetings of activities they led and
held, the open contact arrangements they lead. Numbers per worker only, never a record: the
caller (`selectors.caseloads`) passes the accounts of the staff profiles the user keeps, read
through the policy."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone


def _per(queryset, column: str) -> dict[int, int]:
    return dict(queryset.order_by().values(column).annotate(n=Count("pk")).values_list(column, "n"))


def load_counts(user_ids, on: date, weeks: int) -> tuple[dict, dict, dict]:
    """(open cases led, meetings led and held in the `weeks` weeks up to `on`, open contact
    arrangements led), each by user id."""
    from earlyhelp.activities.models import Session
    from earlyhelp.cases.models import Case
    from earlyhelp.contacts.models import Arrangement

    user_ids = list(user_ids)
    until = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    since = until - timedelta(weeks=weeks)
    cases = Case.objects.filter(lead_worker_id__in=user_ids, status=Case.Status.OPEN)
    sessions = Session.objects.filter(
        lead_id__in=user_ids, status=Session.Status.HELD, starts_at__gte=since, starts_at__lt=until
    )
    arrangements = Arrangement.objects.filter(
        lead_id__in=user_ids, status=Arrangement.Status.ACTIVE
    )
    return (
        _per(cases, "lead_worker_id"),
        _per(sessions, "lead_id"),
        _per(arrangements, "lead_id"),
    )
