from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.organisations.models import Service
from earlyhelp.programmes.models import Indicator, Programme
from earlyhelp.programmes.templates import TEMPLATES, apply_template, for_country
from earlyhelp.tests.factories import (
    JurisdictionFactory,
    MunicipalityFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def municipality(country: str):
    return MunicipalityFactory(jurisdiction=JurisdictionFactory(code=country))


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_each_template_applies_cleanly_for_its_country(code):
    template = TEMPLATES[code]
    place = municipality(template.country)
    ServiceFactory(municipality=place, kind=Service.Kind.FAMILY_CHILD_WELFARE)
    user = UserFactory()
    programme = apply_template(code, municipality=place, user=user, lead=user)
    assert programme.template == code
    assert programme.lead == user
    assert programme.indicators.count() == len(template.indicators)
    assert programme.target_groups.count() == len(template.target_groups)
    assert programme.partners.count() == len(template.partners)
    for indicator in programme.indicators.all():
        types = list(indicator.activity_types.all())
        assert all(t.municipality_id == place.pk for t in types)
        indicator.clean(activity_types=types)  # raises if the definition cannot be computed
        assert indicator.target_date <= programme.ends_on
    for group in programme.target_groups.all():
        group.clean()


def test_a_template_of_another_country_is_refused():
    place = municipality("DK")
    with pytest.raises(ValidationError):
        apply_template("cz-opz-setrvani", municipality=place, user=UserFactory())
    assert not Programme.objects.exists()


def test_templates_per_country():
    assert {t.code for t in for_country("CZ")} == {"cz-opz-setrvani"}
    assert len(for_country("HU")) == 2
    assert len(for_country("DK")) == 2


def test_czech_targets_and_units():
    place = municipality("CZ")
    programme = apply_template("cz-opz-setrvani", municipality=place, user=UserFactory())
    assert (programme.starts_on, programme.ends_on) == (date(2020, 1, 1), date(2021, 12, 31))
    rows = {
        i.template: (i.unit, i.role, i.target_value, sorted(t.code for t in i.activity_types.all()))
        for i in programme.indicators.all()
    }
    assert rows["contact_parents"] == ("adults", "contact_parent", Decimal(6), [])
    assert rows["foster_carers"] == ("carers", "foster_carer", Decimal(20), [])
    assert rows["staff"] == ("staff", "supported", Decimal(10), [])
    assert rows["round_tables"] == ("events", "any", Decimal(4), ["round_table"])
    assert all(i.target_date == date(2021, 12, 31) for i in programme.indicators.all())


def test_moving_the_start_moves_the_period_and_targets():
    place = municipality("CZ")
    programme = apply_template(
        "cz-opz-setrvani", municipality=place, user=UserFactory(), starts_on=date(2026, 3, 1)
    )
    assert programme.ends_on == date(2028, 2, 29)
    assert set(programme.indicators.values_list("target_date", flat=True)) == {date(2028, 2, 29)}


def test_hungarian_target_groups_share_one_action_area():
    place = municipality("HU")
    programme = apply_template("hu-top-691-segito-fehervar", municipality=place, user=UserFactory())
    inside, outside, _pupils = programme.target_groups.all()
    assert inside.action_area == outside.action_area
    assert inside.action_area.municipality == place
    assert (inside.target_share, outside.target_share) == (Decimal(75), Decimal(25))
    assert outside.share_rule == "at_most"
    assert programme.budget == Decimal("217015295") and programme.aid_rate == Decimal(100)
    share = programme.indicators.get(template="share_adults")
    assert share.aggregation == Indicator.Aggregation.SHARE and share.target_group == inside
