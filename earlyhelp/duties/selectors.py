"""Reading duties: the start page's items and the navigation's count. Both read the owner's
index (`duty_owner_due`); the targets are asked of the policy in bulk, one query per kind of
record, before anyone is named."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import visible
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.duties.models import Duty
from earlyhelp.duties.registry import KINDS, TARGETS
from earlyhelp.people.access import is_named, unnamed

# What fits a phone's few screens: the nearest first, "More" for the rest.
PAGE_SIZE = 15
DUTY_ORDER = [Key("due"), Key("pk")]

OVERDUE, TODAY, WEEK, LATER = "overdue", "today", "week", "later"
GROUP_TITLES = {
    OVERDUE: _("Overdue"),
    TODAY: _("Today"),
    WEEK: _("This week"),
    LATER: _("Later"),
}


@dataclass
class Item:
    duty: Duty
    reason: str
    url: str
    title: str
    names: list[str] = field(default_factory=list)
    # People the item is about whom the reader may not name.
    unnamed_children: int = 0
    unnamed_adults: int = 0


@dataclass
class Group:
    key: str
    title: str
    items: list[Item]
    # All the user's duties in the group, on this page or a later one.
    total: int = 0


def start_of_tomorrow(now: datetime | None = None) -> datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))


def due_count(user) -> int:
    """How many duties of the user are overdue or due today: one COUNT over the owner's index."""
    return Duty.objects.filter(owner_id=user.pk, due__lt=start_of_tomorrow()).count()


def group_totals(user, now: datetime, tomorrow: datetime) -> dict[str, int]:
    """How many of the user's duties fall in each group: one pass over the owner's index."""
    week_end = tomorrow + timedelta(days=6)
    return Duty.objects.filter(owner_id=user.pk).aggregate(
        **{
            OVERDUE: Count("pk", filter=Q(due__lt=now)),
            TODAY: Count("pk", filter=Q(due__gte=now, due__lt=tomorrow)),
            WEEK: Count("pk", filter=Q(due__gte=tomorrow, due__lt=week_end)),
            LATER: Count("pk", filter=Q(due__gte=week_end)),
        }
    )


def _group_of(duty: Duty, now: datetime, tomorrow: datetime) -> str:
    if duty.due < now:
        return OVERDUE
    if duty.due < tomorrow:
        return TODAY
    if duty.due < tomorrow + timedelta(days=6):
        return WEEK
    return LATER


def _open_targets(user, duties: list[Duty]) -> dict[tuple[int, int], object]:
    """The targets of these duties the user may still act on, by (content type id, pk): one
    policy query per kind of record and action, never one per row."""
    wanted: dict[tuple[int, str], set[int]] = {}
    for duty in duties:
        kind = KINDS.get(duty.kind)
        if kind is not None:
            wanted.setdefault((duty.target_type_id, kind.action), set()).add(duty.target_id)
    found: dict[tuple[int, str, int], object] = {}
    for (type_id, action), ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        target = TARGETS.get(model._meta.label_lower) if model else None
        if target is None:
            continue
        for obj in visible(user, target.queryset().filter(pk__in=ids), action):
            found[(type_id, action, obj.pk)] = obj
    return found


def duties_page(*, user, cursor: str = "") -> dict:
    """A page of the user's duties, nearest first, grouped overdue / today / this week / later;
    those whose record the user can no longer open are left out."""
    page = keyset_page(
        visible(user, Duty.objects.all()).filter(owner_id=user.pk), DUTY_ORDER, cursor, PAGE_SIZE
    )
    targets = _open_targets(user, page.rows)
    kept = []
    for duty in page.rows:
        kind = KINDS.get(duty.kind)
        obj = targets.get((duty.target_type_id, kind.action, duty.target_id)) if kind else None
        if obj is not None:
            kept.append((duty, kind, obj))
    people = {}
    for _duty, _kind, obj in kept:
        target = TARGETS[obj._meta.label_lower]
        people[obj] = [p for p in target.people(obj) if p is not None]
    hidden = unnamed(user, [p for persons in people.values() for p in persons])
    now = timezone.now()
    tomorrow = start_of_tomorrow(now)
    groups: dict[str, list[Item]] = {key: [] for key in GROUP_TITLES}
    named_people = set()
    for duty, kind, obj in kept:
        target = TARGETS[obj._meta.label_lower]
        url = target.url(obj)
        if kind.anchor:
            url = f"{url}#{kind.anchor}"
        item = Item(duty=duty, reason=kind.reason, url=url, title=target.title(obj))
        for person in people[obj]:
            if is_named(hidden, person):
                item.names.append(person.full_name)
                named_people.add(f"{person._meta.label_lower}:{person.pk}")
            elif person._meta.model_name == "child":
                item.unnamed_children += 1
            else:
                item.unnamed_adults += 1
        groups[_group_of(duty, now, tomorrow)].append(item)
    totals = group_totals(user, now, tomorrow) if page.next_cursor or cursor else {}
    return {
        "groups": [
            Group(key, GROUP_TITLES[key], items, totals.get(key, len(items)))
            for key, items in groups.items()
            if items
        ],
        "next_cursor": page.next_cursor,
        "named_people": sorted(named_people),
    }
