"""The roster import pages of a municipality's administrators: upload a school system's
export, read the check (what would be created, changed and ended, and every bad row with its
reason), decide on the rows that could be one of several children, apply, and download the
report of the rows left out. docs/import.md."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_list, get_object_or_deny
from earlyhelp.core.exports import table_download
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.core.text import plain_number
from earlyhelp.imports import services
from earlyhelp.imports.access import import_candidates, import_missing, import_municipalities
from earlyhelp.imports.fields import FIELDS, PRESETS, STAFF_FIELDS, STAFF_PRESET
from earlyhelp.imports.forms import ApplyForm, ImportForm, MappingForm, PresetForm
from earlyhelp.imports.models import ColumnMapping, RosterImport, RosterRow

ROW_KEYS = [Key("line")]
ROWS_PER_PAGE = 50
RECENT = 20
MISSING_SHOWN = 50
Outcome = RosterRow.Outcome
# The outcomes a page of rows can be filtered by, in the order the page lists them.
SHOWN_OUTCOMES = [Outcome.BAD, Outcome.UNSURE, Outcome.CREATE, Outcome.CHANGE, Outcome.UNCHANGED]


# What a row would change, as the page names it ("parent1_new": a new adult, parent 1).
PARENT_CHANGES = {
    "new": gettext_lazy("Parent %(n)s: a new adult"),
    "linked": gettext_lazy("Parent %(n)s: linked to the child"),
    "contact": gettext_lazy("Parent %(n)s: new contact details"),
}
APPLIED = {
    "institutions_created": gettext_lazy("Institutions created"),
    "groups_created": gettext_lazy("Classes created"),
    "children_created": gettext_lazy("Children created"),
    "children_changed": gettext_lazy("Children changed"),
    "enrolments_created": gettext_lazy("Enrolments created"),
    "enrolments_ended": gettext_lazy("Enrolments ended by a move to another class"),
    "missing_ended": gettext_lazy("Enrolments ended: missing from the roster"),
    "adults_created": gettext_lazy("Parents created"),
    "adults_changed": gettext_lazy("Parents changed"),
    "relationships_created": gettext_lazy("Parents linked to a child"),
    "accounts_created": gettext_lazy("Accounts created and invited"),
    "memberships_created": gettext_lazy("Roles given"),
    "memberships_asked": gettext_lazy("Roles waiting for a second person's approval"),
    "not_written": gettext_lazy("Rows not written"),
}


def _described(change: dict, fields: dict) -> tuple[str, str]:
    name, value = change["field"], change["value"]
    if name.startswith("parent") and name[6:7] in ("1", "2"):
        kind = name.split("_", 1)[1]
        if kind in PARENT_CHANGES:
            return str(PARENT_CHANGES[kind] % {"n": name[6]}), value
    return str(fields.get(name, name)), value


def _may_list(user) -> None:
    if not can(user, Action.LIST, RosterImport):
        raise PermissionDenied


@login_required
def import_list(request, form: ImportForm | None = None):
    _may_list(request.user)
    municipalities = import_municipalities(request.user)
    imports = visible(
        request.user, RosterImport.objects.select_related("municipality", "created_by")
    )[:RECENT]
    return render(
        request,
        "imports/list.html",
        {
            "imports": imports,
            "form": form or ImportForm(municipalities=municipalities),
            "may_create": can(request.user, Action.CREATE, RosterImport),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def import_new(request):
    _may_list(request.user)
    form = ImportForm(
        request.POST, request.FILES, municipalities=import_municipalities(request.user)
    )
    if not form.is_valid():
        return import_list(request, form=form)
    data = form.cleaned_data
    roster = services.import_start(
        user=request.user,
        municipality=data["municipality"],
        upload=data["file"],
        columns=data["columns"],
        mapping_name=data["mapping_name"],
        options=form.options(),
    )
    messages.success(
        request, _("The file is being checked; nothing is written until you apply it.")
    )
    return redirect("imports:detail", pk=roster.pk)


def _roster(request, pk: int, action: str = Action.VIEW) -> RosterImport:
    return get_object_or_deny(
        request,
        RosterImport.objects.select_related("municipality", "created_by", "applied_by"),
        action,
        pk=pk,
    )


@login_required
def import_detail(request, pk: int):
    roster = _roster(request, pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in SHOWN_OUTCOMES:
        outcome = ""
    rows = roster.rows.all()
    if outcome:
        rows = rows.filter(outcome=outcome)
    page = keyset_page(rows, ROW_KEYS, request.GET.get("after", ""), ROWS_PER_PAGE)
    candidates = import_candidates(request.user, roster, page.rows)
    missing = import_missing(request.user, roster, MISSING_SHOWN)
    named = [f"people.child:{c.pk}" for found in candidates.values() for c in found]
    named += [f"people.child:{e.child_id}" for e in missing]
    if named:
        audit_list(
            request,
            object_type="people.child",
            object_id=str(roster.pk),
            purpose="roster import check",
            changes={"subjects": named},
        )
    fields = STAFF_FIELDS if roster.kind == RosterImport.Kind.STAFF else FIELDS
    for row in page.rows:
        row.choices = candidates.get(row.line, [])
        row.labelled = [
            {"label": fields.get(p["field"], ""), "message": p["message"]} for p in row.problems
        ]
        row.described = [_described(change, fields) for change in row.changes]
    return render(
        request,
        "imports/detail.html",
        {
            "roster": roster,
            "page": page,
            "outcome": outcome,
            "outcomes": [(o, Outcome(o).label, roster.summary.get(o, 0)) for o in SHOWN_OUTCOMES],
            "missing": missing,
            "apply_form": ApplyForm(),
            "may_change": can(request.user, Action.CHANGE, roster),
            "has_choices": any(row.choices for row in page.rows),
            "applied": [
                (APPLIED[name], count)
                for name, count in roster.applied_summary.items()
                if name in APPLIED
            ],
        },
    )


@login_required
def import_status(request, pk: int):
    roster = _roster(request, pk)
    if not roster.working and request.htmx:
        # Done: the whole page shows what the check or the apply found.
        response = render(request, "imports/status.html", {"roster": roster})
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/status.html", {"roster": roster})


@login_required
@require_POST
def import_decide(request, pk: int):
    roster = _roster(request, pk, Action.CHANGE)
    decisions = {}
    for name, value in request.POST.items():
        line = plain_number(name.removeprefix("line-")) if name.startswith("line-") else None
        if line is not None:
            decisions[line] = value if value in ("", "new", "skip") or plain_number(value) else ""
    try:
        changed = services.import_decide(user=request.user, roster=roster, decisions=decisions)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decisions saved: %(n)s.") % {"n": changed})
    return redirect(f"{roster.get_absolute_url()}?outcome={Outcome.UNSURE}")


@login_required
@require_POST
def import_apply(request, pk: int):
    roster = _roster(request, pk, Action.CHANGE)
    form = ApplyForm(request.POST)
    form.is_valid()
    try:
        services.import_apply(
            user=request.user,
            roster=roster,
            end_missing=form.cleaned_data.get("end_missing", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import is being applied."))
    return redirect(roster.get_absolute_url())


@login_required
@require_POST
def import_discard(request, pk: int):
    roster = _roster(request, pk, Action.CHANGE)
    try:
        services.import_discard(user=request.user, roster=roster)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(roster.get_absolute_url())
    messages.success(request, _("The import was discarded: its file and rows are deleted."))
    return redirect("imports:list")


@login_required
def import_report(request, pk: int, extension: str):
    """The rows left out (bad, unsure, skipped) with the file's values and every reason, to
    correct in the school system or the file and import again."""
    roster = _roster(request, pk)
    left_out = [Outcome.BAD, Outcome.UNSURE, Outcome.SKIPPED]
    rows = roster.rows.filter(outcome__in=left_out).order_by("line")
    fields = STAFF_FIELDS if roster.kind == RosterImport.Kind.STAFF else FIELDS
    names = [name for name in fields if name in roster.columns]
    columns = [_("Line"), _("Outcome"), _("Reasons")] + [roster.columns[n] for n in names]
    audit_list(
        request,
        object_type="imports.rosterrow",
        object_id=str(roster.pk),
        purpose="roster import report",
        changes={"rows": rows.count()},
    )

    def lines():
        for row in rows.iterator(chunk_size=2000):
            reasons = "; ".join(
                f"{fields.get(p['field'], p['field'])}: {p['message']}"
                if p["field"]
                else p["message"]
                for p in row.problems
            ) or str(Outcome(row.outcome).label)
            yield [row.line, str(Outcome(row.outcome).label), reasons] + [
                str(row.values.get(n, "")) for n in names
            ]

    return table_download(
        columns, lines(), filename=f"roster-import-{roster.pk}-rows-left-out", fmt=extension
    )


@login_required
def import_template(request, extension: str):
    """An empty roster (or, with ?kind=staff, staff list) with earlyhelp's own headings."""
    _may_list(request.user)
    staff = request.GET.get("kind") == RosterImport.Kind.STAFF
    preset = STAFF_PRESET if staff else PRESETS["earlyhelp"]
    return table_download(
        list(preset["columns"].values()),
        [],
        filename="earlyhelp-staff-template" if staff else "earlyhelp-roster-template",
        fmt=extension,
    )


# --- Column mappings ---------------------------------------------------------------------------


@login_required
def mapping_list(request):
    _may_list(request.user)
    if not can(request.user, Action.MANAGE, ColumnMapping):
        raise PermissionDenied
    mappings = visible(request.user, ColumnMapping.objects.select_related("municipality"))
    return render(
        request, "imports/mappings.html", {"mappings": mappings, "preset_form": PresetForm()}
    )


@login_required
def mapping_edit(request, pk: int | None = None):
    if not can(request.user, Action.MANAGE, ColumnMapping):
        raise PermissionDenied
    municipalities = import_municipalities(request.user)
    if pk is None:
        mapping = ColumnMapping()
        preset = PRESETS.get(request.GET.get("preset", ""), PRESETS["earlyhelp"])
        mapping.columns = dict(preset["columns"])
        mapping.preset = (
            request.GET.get("preset", "") if request.GET.get("preset") in PRESETS else ""
        )
        if len(municipalities) == 1:
            mapping.municipality = municipalities[0]
    else:
        mapping = get_object_or_deny(request, ColumnMapping.objects.all(), Action.MANAGE, pk=pk)
    form = MappingForm(request.POST or None, instance=mapping, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        services.mapping_save(user=request.user, mapping=form.instance, form=form)
        messages.success(request, _("The column mapping is saved."))
        return redirect("imports:mappings")
    return render(
        request,
        "imports/mapping.html",
        {"form": form, "mapping": mapping},
        status=400 if request.method == "POST" else 200,
    )
