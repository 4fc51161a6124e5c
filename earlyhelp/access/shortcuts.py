"""How views fetch an object: through the policy, 404 outside scope, 403 when not permitted,
and an audit row for every person-level record opened."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from earlyhelp.access.engine import fetch
from earlyhelp.access.policy import BREAK_GLASS, Action, can, granting_path, primary_role
from earlyhelp.audit.services import audit_request


def audit_context(request) -> dict:
    """Who acts and in which request, as services write it to the audit log."""
    return {"role": primary_role(request.user), "request_id": request.request_id}


def get_object_or_deny(request, queryset: QuerySet, action: str = Action.VIEW, **lookup) -> Model:
    """The object the user may see, or 404 (no existence leak); 403 if seen but not allowed."""
    obj = fetch(request.user, queryset, action, **lookup)
    if obj is None:
        raise Http404
    if action != Action.VIEW and not can(request.user, action, obj):
        raise PermissionDenied
    return obj


def open_record(
    request, queryset: QuerySet, action: str = Action.VIEW, *, purpose: str, **lookup
) -> tuple[Model, str]:
    """`get_object_or_deny` for a person's record, writing the read to the audit log.

    Returns the object and the path ("social_helper", "team", "break_glass", ...) through
    which the user reached it.
    """
    obj = get_object_or_deny(request, queryset, action, **lookup)
    path = granting_path(request.user, action, obj)
    audit_request(
        request,
        action="view",
        obj=obj,
        role=path,
        purpose=purpose,
        flagged=path == BREAK_GLASS,
    )
    return obj, path


# Reads of person-level data are audited here, and only here: a page that opens one record
# uses `open_record`; a page that shows a record again (after a refused form), names several
# people, lists records or exports them uses the functions below. The role written is the
# path the policy names (`granting_path`), never one a view chose.


def audit_read(request, obj, *, purpose: str, subjects=(), action: str = Action.VIEW) -> None:
    """A read of `obj` (already fetched through the policy), and one row more for each person
    the page names (`subjects`: "people.child:12", ...), so that each shows in that person's
    record of who has seen it."""
    role = granting_path(request.user, action, obj)
    audit_request(request, action="view", obj=obj, role=role, purpose=purpose)
    for subject in sorted(set(subjects)):
        audit_request(request, action="view", obj=obj, role=role, purpose=purpose, subject=subject)


def audit_list(request, *, object_type: str, purpose: str, **details) -> None:
    """A read of a list or a page of person-level rows (`object_type`, e.g. "people.child"),
    with what it showed in `details` (`changes`, `object_id`, `subject`)."""
    audit_request(
        request,
        action="list",
        object_type=object_type,
        role=primary_role(request.user),
        purpose=purpose,
        **details,
    )


def audit_export(request, obj=None, *, purpose: str, **details) -> None:
    """A download of person-level data (a PDF, a CSV, an XLSX), with what it contained."""
    audit_request(
        request,
        action="export",
        obj=obj,
        role=primary_role(request.user),
        purpose=purpose,
        **details,
    )
