"""The bench programmes: per municipality one or two programmes from its country's templates
(`programmes.templates`), an action area of its districts, the templates' target groups,
outcome categories and indicators, and links from a share of its activities (~30 %), cases
(~20 %) and foster-care support agreements (~80 %). Czech municipalities also get a modest
foster-care service (households, carers as adults, support agreements, placements), since no
other module writes foster care, so that the carers indicator has something to count.

Where people live is decided without drawing from the run's random stream (so the rest of the
data stays as it was for a seed): `residence_of(place)` hashes a family's first id to a district,
about a third of the families inside the action area, and records some as disadvantaged.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from earlyhelp.activities.models import Activity
from earlyhelp.cases.models import Case
from earlyhelp.fostercare.models import Carer, Household, Placement, SupportAgreement
from earlyhelp.fostercare.rules import add_months
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult
from earlyhelp.programmes.models import (
    ActionArea,
    Indicator,
    OutcomeCategory,
    Partner,
    Programme,
    TargetGroup,
)
from earlyhelp.programmes.templates import TEMPLATES, Template

if TYPE_CHECKING:
    from earlyhelp.sampledata.bench import Generator
    from earlyhelp.sampledata.bench.organisations import Place

# The templates each country's municipalities get: the first always, the second where the
# municipality is large (more than 5,000 children).
BY_COUNTRY = {
    "CZ": ("cz-opz-setrvani",),
    "HU": ("hu-top-691-segito-fehervar", "hu-school-social-help"),
    "DK": ("dk-aarhus-signs-of-safety", "dk-screening-2022"),
}
SECOND_FROM_CHILDREN = 5_000
ACTIVITY_SHARE, CASE_SHARE, AGREEMENT_SHARE = 0.3, 0.2, 0.8
CHILDREN_PER_FOSTER_HOUSEHOLD = 1_500
INSIDE_PERCENT = 35  # families living in the action area


def action_area_districts(place: Place) -> tuple[list[int], list[int]]:
    """The districts of the action area (the first third, at least one) and the others."""
    districts = place.districts
    inside = districts[: max(1, len(districts) // 3)]
    return inside, districts[len(inside) :]


def residence_of(place: Place) -> Callable[[int], tuple[int | None, bool]]:
    """A family's home district and whether it is recorded as disadvantaged, from its key (the
    first child's id): a multiplicative hash, no draw from the run's random stream. Where the
    municipality has one district, the families outside it have none recorded."""
    inside, outside = action_area_districts(place)

    def home(key: int) -> tuple[int | None, bool]:
        h = (key * 2654435761) % 4294967296
        percent = h % 100
        if not inside:
            return None, False
        if percent < INSIDE_PERCENT:
            return inside[(h >> 8) % len(inside)], (h >> 16) % 100 < 55
        if not outside:
            return None, (h >> 16) % 100 < 10
        return outside[(h >> 8) % len(outside)], (h >> 16) % 100 < 10

    return home


def declare_tables(generator: Generator) -> None:
    stamped = ("created_at", "updated_at")
    table = generator.table
    generator.t_programme = table(
        Programme, "id", *stamped, "version", "municipality_id", "name", "funder", "reference",
        "starts_on", "ends_on", "budget", "currency", "aid_rate", "lead_id", "description",
        "template", "created_by_id",
    )  # fmt: skip
    generator.t_programme_service = table(
        Programme.services.through, "id", "programme_id", "service_id"
    )
    generator.t_partner = table(
        Partner, "id", *stamped, "programme_id", "name", "role", "service_id", "note"
    )
    generator.t_action_area = table(
        ActionArea, "id", *stamped, "version", "municipality_id", "name", "streets"
    )
    generator.t_action_area_district = table(
        ActionArea.districts.through, "id", "actionarea_id", "district_id"
    )
    generator.t_target_group = table(
        TargetGroup, "id", *stamped, "programme_id", "name", "people", "min_age", "max_age",
        "settings", "disadvantaged", "legal_basis", "area", "action_area_id", "target_share",
        "share_rule", "position",
    )  # fmt: skip
    generator.t_outcome_category = table(
        OutcomeCategory, "id", *stamped, "programme_id", "code", "name", "position"
    )
    generator.t_indicator = table(
        Indicator, "id", *stamped, "version", "programme_id", "name", "unit", "aggregation",
        "role", "target_group_id", "outcome_id", "target_value", "target_date",
        "lower_is_better", "with_partners", "position", "template",
    )  # fmt: skip
    generator.t_indicator_type = table(
        Indicator.activity_types.through, "id", "indicator_id", "activitytype_id"
    )
    generator.t_household = table(
        Household, "id", *stamped, "version", "municipality_id", "service_id", "name",
        "address", "address_protected", "active", "created_by_id",
    )  # fmt: skip
    generator.t_carer = table(Carer, "id", *stamped, "household_id", "adult_id", "since")
    generator.t_agreement = table(
        SupportAgreement, "id", *stamped, "version", "household_id", "municipality_id",
        "service_id", "key_worker_id", "reference", "signed_on", "ends_on",
    )  # fmt: skip
    generator.t_placement = table(
        Placement, "id", *stamped, "version", "household_id", "municipality_id", "child_id",
        "kind", "starts_on", "ends_on",
    )  # fmt: skip
    generator.t_activity_programme = table(
        Activity.programmes.through, "id", "activity_id", "programme_id"
    )
    generator.t_case_programme = table(Case.programmes.through, "id", "case_id", "programme_id")
    generator.t_agreement_programme = table(
        SupportAgreement.programmes.through, "id", "supportagreement_id", "programme_id"
    )


def _start(generator: Generator, template: Template):
    """A period that holds today and the data behind it: up to two years back."""
    return add_months(generator.school_year_start, -min(24, max(0, template.months - 12)))


def _write_programme(generator: Generator, place: Place, template: Template, area_id, lead):
    g, now = generator, generator.now
    start, end = template.period(_start(generator, template))
    programme_id = g.t_programme.new_id()
    g.t_programme.add(
        (programme_id, now, now, 1, place.id, template.name, template.funder, template.reference,
         start, end, template.budget, template.currency, template.aid_rate, lead,
         template.description, template.code, lead)
    )  # fmt: skip
    for service_id in place.services[:1]:
        g.t_programme_service.add((g.t_programme_service.new_id(), programme_id, service_id))
    for spec in template.partners:
        service = place.services[0] if spec.service_kind == "family_child_welfare" else None
        name = f"{place.name} – {spec.name}" if spec.role == "lead_applicant" else spec.name
        g.t_partner.add(
            (g.t_partner.new_id(), now, now, programme_id, name, spec.role, service, spec.note)
        )
    groups = {}
    for position, spec in enumerate(template.target_groups):
        group_id = g.t_target_group.new_id()
        groups[spec.key] = group_id
        g.t_target_group.add(
            (group_id, now, now, programme_id, spec.name, spec.people, spec.min_age, spec.max_age,
             json.dumps(list(spec.settings)), spec.disadvantaged, spec.legal_basis, spec.area,
             area_id if spec.area != "anywhere" else None, spec.target_share, spec.share_rule,
             position)
        )  # fmt: skip
    categories = {}
    for position, code in enumerate(template.outcome_categories):
        categories[code] = g.t_outcome_category.new_id()
        g.t_outcome_category.add((categories[code], now, now, programme_id, code, "", position))
    for position, spec in enumerate(template.indicators):
        indicator_id = g.t_indicator.new_id()
        target_date = (
            end
            if spec.target_months is None
            else add_months(start, spec.target_months) - timedelta(days=1)
        )
        g.t_indicator.add(
            (indicator_id, now, now, 1, programme_id, spec.name, spec.unit, spec.aggregation,
             spec.role, groups.get(spec.target_group), categories.get(spec.outcome),
             spec.target, target_date, spec.lower_is_better, spec.with_partners, position,
             spec.key)
        )  # fmt: skip
        for code in spec.activity_types:
            type_id = place.activity_types.get(code)
            if type_id is not None:
                g.t_indicator_type.add((g.t_indicator_type.new_id(), indicator_id, type_id))
    return programme_id


def _write_fostercare(generator: Generator, place: Place, children, rng) -> list[int]:
    """A modest foster-care service of a Czech municipality: one household per 1,500 children
    (at least three), one or two carers each (adults), a support agreement and one or two
    placed children. Returns the agreements' ids."""
    g, now, today = generator, generator.now, generator.today
    workers = [s.id for s in place.staff.get(Role.CASE_WORKER, [])] or [
        s.id for s in place.staff.get(Role.SOCIAL_HELPER, [])
    ]
    if not workers or not place.services or not children.ids:
        return []
    names = g.names[place.country.code]
    agreements = []
    for n in range(max(3, place.children // CHILDREN_PER_FOSTER_HOUSEHOLD)):
        household_id = g.t_household.new_id()
        surname = rng.randint(0, len(names.surname_male) - 1)
        by = workers[rng.randint(0, len(workers) - 1)]
        g.t_household.add(
            (household_id, now, now, 1, place.id, place.services[0],
             f"{names.surname_male[surname]} {n + 1}", "", False, True, by)
        )  # fmt: skip
        signed = today - timedelta(days=rng.randint(60, 1800))
        for female in (True, False) if rng.random() < 0.65 else (True,):
            adult_id = g.t_adult.new_id()
            given_pool = names.female if female else names.male
            given = given_pool[rng.randint(0, len(given_pool) - 1)]
            family = (names.surname_female if female else names.surname_male)[surname]
            g.t_adult.add(
                (adult_id, now, now, 1, place.id, given, family, names.search_name(family, given),
                 "", False, Adult.Kind.FOSTER_CARER, None, "", "", "", False, None, False)
            )  # fmt: skip
            g.t_carer.add((g.t_carer.new_id(), now, now, household_id, adult_id, signed))
        agreement_id = g.t_agreement.new_id()
        g.t_agreement.add(
            (agreement_id, now, now, 1, household_id, place.id, place.services[0], by,
             f"DPP {n + 1}/{signed.year}", signed, None)
        )  # fmt: skip
        agreements.append(agreement_id)
        for _ in range(1 + (rng.random() < 0.3)):
            child_id = children.ids[rng.randint(0, len(children.ids) - 1)]
            g.t_placement.add(
                (g.t_placement.new_id(), now, now, 1, household_id, place.id, child_id,
                 "long_term", signed + timedelta(days=rng.randint(0, 30)), None)
            )  # fmt: skip
    return agreements


def write_programmes_of(
    generator: Generator,
    place: Place,
    children,
    activities: range,
    cases: range,
    rng: random.Random,
) -> None:
    """The place's programmes and their links; `activities` and `cases` are the ids just
    written for the place (allocated in a row)."""
    g, now = generator, generator.now
    codes = BY_COUNTRY.get(place.country.code, ())
    if not codes:
        return
    managers = place.staff.get(Role.MANAGER, [])
    lead = managers[0].id if managers else None
    if lead is None:
        return
    inside, _outside = action_area_districts(place)
    area_id = None
    if inside:
        area_id = g.t_action_area.new_id()
        g.t_action_area.add((area_id, now, now, 1, place.id, "Action area", ""))
        for district_id in inside:
            g.t_action_area_district.add((g.t_action_area_district.new_id(), area_id, district_id))
    chosen = codes[:1] if place.children <= SECOND_FROM_CHILDREN else codes[:2]
    programmes = [
        _write_programme(g, place, TEMPLATES[code], area_id, lead)
        for code in chosen
        if area_id is not None or not TEMPLATES[code].action_area
    ]
    if not programmes:
        return
    add_activity, new_activity = g.t_activity_programme.add, g.t_activity_programme.new_id
    random_ = rng.random
    for activity_id in activities:
        if random_() < ACTIVITY_SHARE:
            add_activity((new_activity(), activity_id, programmes[0]))
            if len(programmes) > 1 and random_() < 0.35:
                add_activity((new_activity(), activity_id, programmes[1]))
    add_case, new_case = g.t_case_programme.add, g.t_case_programme.new_id
    for case_id in cases:
        if random_() < CASE_SHARE:
            add_case((new_case(), case_id, programmes[0]))
    if place.country.code == "CZ":
        for agreement_id in _write_fostercare(g, place, children, rng):
            if random_() < AGREEMENT_SHARE:
                g.t_agreement_programme.add(
                    (g.t_agreement_programme.new_id(), agreement_id, programmes[0])
                )
