"""Reading the audit log: who has seen a record, and the field-level history of a record."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from earlyhelp.access.policy import Action, visible
from earlyhelp.audit.forms import condition
from earlyhelp.audit.models import AuditEvent, VerificationRun


def record_viewers(subject: str, limit: int = 50) -> QuerySet:
    """One line per person who opened the record: last time, how often, under which role."""
    return (
        AuditEvent.objects.filter(
            subject=subject, action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.BREAK_GLASS]
        )
        .values("actor_id", "actor_name", "role")
        .annotate(
            last_seen=Max("at"),
            times=Count("id"),
            full_name=Subquery(
                get_user_model()
                .objects.filter(pk=OuterRef("actor_id"))
                .annotate(name=Concat("first_name", Value(" "), "last_name"))
                .values("name")[:1]
            ),
        )
        .order_by("-last_seen")[:limit]
    )


def record_history(subject: str, limit: int = 100) -> QuerySet:
    """The changes made to a person's record and what belongs to it, newest first."""
    return AuditEvent.objects.filter(
        subject=subject,
        action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE, AuditEvent.Action.DELETE],
    ).order_by("-at", "-id")[:limit]


def log_rows(user, filters: dict) -> QuerySet:
    """The audit-log page's rows: what the user may read of the log, narrowed by the filters
    (`audit.forms.condition`); the caller orders and pages them."""
    return visible(user, AuditEvent.objects.all(), Action.VIEW).filter(condition(filters))


def last_verifications(user, limit: int = 5) -> list:
    """The newest verification runs, for the page's "verification" panel."""
    runs = VerificationRun.objects.select_related("requested_by").order_by("-started_at", "-id")
    return list(visible(user, runs, Action.VIEW)[:limit])
