"""Pages of the screening app: the rounds, a round's progress and flags, the class sheet an
educator rates on, the movement of a class between rounds and the share of flagged children
per institution. Thin: each asks the policy, calls a selector or a service, renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_list,
    audit_read,
    get_object_or_deny,
    open_record,
)
from earlyhelp.activities.models import Activity
from earlyhelp.concerns.models import Concern
from earlyhelp.core.forms import acted, saved
from earlyhelp.core.fragments import render_section
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Group
from earlyhelp.people.models import Child, Enrolment
from earlyhelp.safety.models import SafetyMeeting
from earlyhelp.screening import selectors, services
from earlyhelp.screening.access import rating_groups, screening_institutions, sees_class_figures
from earlyhelp.screening.forms import (
    ClassSheet,
    FlagForm,
    RoundForm,
    VersionForm,
    answer_options,
)
from earlyhelp.screening.models import Instrument, Rating, Round, RoundGroup

# --- Rounds ------------------------------------------------------------------------------------


@login_required
def round_list(request):
    if not can(request.user, Action.LIST, Round):
        raise PermissionDenied
    page = selectors.round_list(user=request.user, cursor=request.GET.get("after", ""))
    return render(
        request,
        "screening/rounds.html",
        {
            "page": page,
            "can_create": can(request.user, Action.CREATE, Round),
            "can_stats": can(request.user, Action.VIEW_STATS, Round),
        },
    )


def _round_form(request):
    institutions = screening_institutions(request.user)
    with_children = Enrolment.objects.current().filter(group_id=OuterRef("pk"))
    groups = (
        Group.objects.filter(institution_id__in=institutions)
        .filter(Exists(with_children))
        .select_related("institution")
        .order_by("institution__name", "institution_id", "name")
    )
    municipalities = set(
        Group.objects.filter(institution_id__in=institutions).values_list(
            "institution__municipality_id", flat=True
        )
    )
    instruments = Instrument.objects.filter(active=True).filter(
        Q(municipality__isnull=True) | Q(municipality_id__in=municipalities)
    )
    shipped = instruments.filter(municipality__isnull=True).first()
    return RoundForm(
        request.POST or None,
        groups=groups,
        instruments=instruments.order_by("municipality_id", "code"),
        initial={"instrument": shipped.pk if shipped else None},
    )


@login_required
def round_new(request):
    if not can(request.user, Action.CREATE, Round):
        raise PermissionDenied
    form = _round_form(request)
    made = {}

    def save(data):
        made["round"] = services.round_open(
            user=request.user, title=data["title"], instrument=data["instrument"],
            groups=list(data["groups"]), opens_on=data["opens_on"], closes_on=data["closes_on"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The round is open. The educators can rate their classes."))
        return redirect(made["round"])
    return render(request, "screening/round_new.html", {"form": form})


def _round(request, pk: int, action: str = Action.VIEW) -> Round:
    round_ = get_object_or_deny(request, selectors.round_queryset(), action, pk=pk)
    return services.round_settle(round_=round_)


def _link_choices(request, round_: Round, rating: Rating) -> dict:
    """The records a flag may be linked to: the institution's activities and Signs of Safety
    meetings the user works on, and the concerns about the child they triage."""
    user = request.user
    activities = visible(
        user,
        Activity.objects.filter(institution_id=round_.institution_id).exclude(
            status=Activity.Status.CANCELLED
        ),
        Action.VIEW_DETAILS,
    ).order_by("-starts_on", "-pk")[:100]
    meetings = visible(
        user, SafetyMeeting.objects.filter(institution_id=round_.institution_id), Action.CHANGE
    ).order_by("-held_on", "-pk")[:100]
    concerns = visible(
        user, Concern.objects.filter(children__child_id=rating.child_id), Action.VIEW_DECISION
    ).order_by("-received_at", "-pk")[:100]

    def concern_label(concern) -> str:
        label = f"#{concern.pk} · {concern.get_status_display()}"
        if concern.received_at:
            label += f" · {timezone.localtime(concern.received_at):%Y-%m-%d}"
        return label

    return {
        "activities": [(a.pk, f"{a.title} ({a.starts_on:%Y-%m-%d})") for a in activities],
        "meetings": [(m.pk, f"{m.held_on:%Y-%m-%d} · {m.topic[:60]}") for m in meetings],
        "concerns": [(c.pk, concern_label(c)) for c in concerns],
    }


def _own_classes(user, round_: Round, rows: list) -> list:
    return [row for row in rows if sees_class_figures(user, round_, row.round_group.group_id)]


@login_required
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    user = request.user
    details = can(user, Action.VIEW_DETAILS, round_)
    context = {
        "round": round_,
        "progress": _own_classes(user, round_, selectors.progress(user=user, round_=round_)),
        "rating_groups": rating_groups(user, round_),
        "details": details,
        "can_change": can(user, Action.CHANGE, round_),
        "accepting": services.accepting_ratings(round_),
        "close_form": VersionForm(initial={"version": round_.version}),
    }
    if details:
        flag_list = selectors.flags(user=user, round_=round_, round_items=selectors.items(round_))
        context["flag_list"] = flag_list
        # Names with their ratings: a read of person-level data, audited as a list.
        audit_list(
            request,
            object_type="screening.rating",
            purpose="screening flags",
            object_id=str(round_.pk),
            changes={"round": round_.pk, "children": [f.rating.child_id for f in flag_list.flags]},
        )
    return render(request, "screening/round.html", context)


@login_required
@require_POST
def round_close(request, pk: int):
    round_ = _round(request, pk, Action.CHANGE)
    form = VersionForm(request.POST)

    def act(data):
        services.round_close(
            user=request.user, round_=round_, version=data["version"], **audit_context(request)
        )

    acted(request, form, act, _("The round is closed to ratings."))
    if round_.status == Round.Status.COMPLETE:
        messages.success(request, _("Every flag is handled: the round is complete."))
    return redirect(round_)


@login_required
def flag(request, pk: int, rating_pk: int):
    """One flagged child: what worried the educator, the worry score across rounds, and how
    the flag ends (shown, and saved on POST)."""
    round_ = _round(request, pk, Action.CHANGE)
    seen = visible(request.user, Child.objects.all(), Action.VIEW).values("pk")
    rating = (
        visible_of(
            request.user,
            round_,
            Rating.objects.filter(pk=rating_pk, flagged=True, child__in=seen),
            Action.CHANGE,
        )
        .select_related(
            "child__municipality__jurisdiction",
            "group",
            "rated_by",
            "handled_by",
            "activity",
            "concern",
            "safety_meeting",
        )  # fmt: skip
        .first()
    )
    if rating is None:
        raise Http404
    rating.round = round_
    links = _link_choices(request, round_, rating)
    form = FlagForm(
        request.POST or None,
        initial={
            "outcome": rating.outcome or None,
            "reason": rating.outcome_reason,
            "activity": rating.activity_id,
            "safety_meeting": rating.safety_meeting_id,
            "concern": rating.concern_id,
            "version": rating.version,
        },
        **links,
    )

    def save(data):
        def record(model, key):
            return model.objects.filter(pk=data[key]).first() if data[key] else None

        services.flag_handle(
            user=request.user, rating=rating, outcome=data["outcome"], reason=data["reason"],
            version=data["version"], activity=record(Activity, "activity"),
            safety_meeting=record(SafetyMeeting, "safety_meeting"),
            concern=record(Concern, "concern"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST":
        if saved(form, save):
            messages.success(
                request,
                _("Saved: the flag of %(name)s is handled.") % {"name": rating.child.full_name},
            )
            round_.refresh_from_db()
            if round_.status == Round.Status.COMPLETE:
                messages.success(request, _("Every flag is handled: the round is complete."))
            return redirect(f"{round_.get_absolute_url()}#flags-heading")
        status = 400
    else:
        status = 200
        audit_read(request, rating, purpose="screening flag")
    words = {
        value: (label, tone) for value, label, _hint, tone in answer_options(round_.instrument)
    }
    round_items = selectors.items(round_)
    answers = [
        (item, *words.get(rating.answers.get(item.code), ("—", "neutral"))) for item in round_items
    ]
    detail = selectors.flag_detail(
        user=request.user, rating=rating, round_items=selectors.items(round_)
    )
    return render(
        request,
        "screening/flag.html",
        {"round": round_, "flag": detail, "answers": answers, "form": form},
        status=status,
    )


# --- Rating a class ----------------------------------------------------------------------------


def _class_of(request, pk: int, group_pk: int) -> tuple[Round, RoundGroup]:
    """The round (for rating) and the class of it whose children the user rates: 404 for a
    class of another educator, outside this user's scope."""
    round_ = _round(request, pk, Action.RECORD)
    round_group = round_.round_groups.filter(group_id=group_pk).select_related("group").first()
    if round_group is None or group_pk not in rating_groups(request.user, round_):
        raise Http404
    return round_, round_group


def _sheet(round_: Round, sheet_data, data=None) -> ClassSheet:
    return ClassSheet(
        instrument=round_.instrument,
        items=selectors.items(round_),
        children=sheet_data.children,
        ratings=sheet_data.ratings,
        data=data,
    )


def _save(request, round_: Round, group, sheet: ClassSheet, finish: bool = False, one=False):
    """Save the typed rows (`one`: the sheet's only row, one child's ratings on their own);
    returns (result, problem): the result, or what stopped the save (the rows are marked on
    `sheet`)."""
    try:
        if one:
            result = services.rating_save(
                user=request.user, round_=round_, group=group, row=sheet.inputs()[0],
                **audit_context(request),
            )  # fmt: skip
        else:
            result = services.ratings_save(
                user=request.user, round_=round_, group=group, rows=sheet.inputs(),
                finish=finish, **audit_context(request),
            )  # fmt: skip
    except services.StaleRowsError as error:
        sheet.mark_stale(error.current)
        return None, error.args[0]
    except StaleVersionError as error:
        return None, error.args[0]
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            sheet.add_errors(error.message_dict)
            return None, _("Some rows need another look; they are marked below.")
        return None, " ".join(error.messages)
    return result, ""


@login_required
def rate(request, pk: int, group_pk: int):
    """The class sheet: one line per child (rated, not yet, flagged), each opening that child's
    ratings on its own (`rate_child`), and "the class is done". A POST of every row at once
    (the whole sheet's fields) is still saved here."""
    round_, round_group = _class_of(request, pk, group_pk)
    group = round_group.group
    sheet_data = selectors.class_sheet(user=request.user, round_=round_, group=group)
    accepting = services.accepting_ratings(round_)
    posted = request.method == "POST"
    sheet = _sheet(round_, sheet_data, request.POST if posted else None)
    problem = ""
    status = 200
    if posted:
        finish = "finish" in request.POST
        result, problem = _save(request, round_, group, sheet, finish)
        if result is not None:
            saved_count = result.created + result.changed
            if finish:
                messages.success(
                    request,
                    _("Saved. %(group)s is marked as done; thank you.") % {"group": group.name},
                )
                return redirect(round_)
            messages.success(
                request,
                ngettext(
                    "Saved: %(n)s rating new or changed.",
                    "Saved: %(n)s ratings new or changed.",
                    saved_count,
                )
                % {"n": saved_count},
            )
            return redirect(reverse("screening:rate", args=[round_.pk, group.pk]))
        status = 400
    audit_list(
        request,
        object_type="screening.rating",
        purpose="screening class sheet",
        object_id=str(round_.pk),
        changes={
            "round": round_.pk,
            "group": group.pk,
            "children": [c.pk for c in sheet_data.children],
        },
    )
    return render(
        request,
        "screening/rate.html",
        {
            "round": round_,
            "group": group,
            "round_group": round_group,
            "sheet": sheet,
            # A refused save of the whole sheet shows every row's fields with what was typed;
            # otherwise each child is one line until opened.
            "expanded": posted,
            "withheld": sheet_data.withheld,
            "accepting": accepting,
            "problem": problem,
            "rated": sum(1 for row in sheet.rows if row.rating is not None),
        },
        status=status,
    )


@login_required
def rate_child(request, pk: int, group_pk: int, child_pk: int):
    """One child's ratings on the class sheet, shown and saved on their own. htmx puts the form
    in the child's line and, once saved, the line back; without JavaScript it is a page that
    returns to the sheet at the child."""
    round_, round_group = _class_of(request, pk, group_pk)
    group = round_group.group
    child, _path = open_record(
        request,
        services.ratable_children(user=request.user, group=group),
        purpose="screening rating",
        pk=child_pk,
    )
    sheet_data = selectors.child_sheet(user=request.user, round_=round_, child=child)
    if not sheet_data.children:
        raise Http404  # the consent to screening was withdrawn: the child is not rated
    sheet_url = f"{reverse('screening:rate', args=[round_.pk, group.pk])}#child-{child.pk}"
    accepting = services.accepting_ratings(round_)
    posted = request.method == "POST"
    sheet = _sheet(round_, sheet_data, request.POST if posted else None)
    problem = ""
    status = 200
    if posted:
        _result, problem = _save(request, round_, group, sheet, one=True)
        if not problem:
            if request.htmx:
                fresh = selectors.child_sheet(user=request.user, round_=round_, child=child)
                return render(
                    request,
                    "screening/_child_row.html",
                    {
                        "round": round_,
                        "group": group,
                        "row": _sheet(round_, fresh).rows[0],
                        "accepting": accepting,
                        "just_saved": True,
                    },
                )
            messages.success(
                request, _("Saved: the ratings of %(name)s.") % {"name": child.full_name}
            )
            return redirect(sheet_url)
        # htmx puts only a successful answer in place: a refused save is answered to it with
        # the form and its message as a success, to a browser without JavaScript as 400.
        status = 200 if request.htmx else 400
    return render_section(
        request,
        "screening/_child_form.html",
        {
            "round": round_,
            "group": group,
            "sheet": sheet,
            "row": sheet.rows[0],
            "accepting": accepting,
            "problem": problem,
            "sheet_url": sheet_url,
        },
        title=_("Rate %(name)s") % {"name": child.full_name},
        back_url=sheet_url,
        status=status,
    )


# --- Figures -----------------------------------------------------------------------------------


@login_required
def class_movement(request, pk: int, group_pk: int):
    round_ = _round(request, pk)
    round_group = round_.round_groups.filter(group_id=group_pk).select_related("group").first()
    if round_group is None or not sees_class_figures(request.user, round_, group_pk):
        raise Http404
    movement = selectors.class_movement(user=request.user, round_=round_, group=round_group.group)
    return render(
        request,
        "screening/movement.html",
        {"round": round_, "group": round_group.group, **movement},
    )


def _since(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return timezone.localdate() - dt.timedelta(days=365)


@login_required
def overview(request):
    if not can(request.user, Action.VIEW_STATS, Round):
        raise PermissionDenied
    figures = selectors.overview(user=request.user, since=_since(request))
    return render(request, "screening/overview.html", {"overview": figures})
