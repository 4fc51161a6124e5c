from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.programmes.models import Programme
from earlyhelp.tests.matrix import EDU, MGR, SUP

URL = reverse("programmes:from_template")


@pytest.mark.django_db
def test_a_manager_sees_only_the_templates_of_the_municipalitys_country(world, signed_in):
    response = signed_in(world.users[MGR]).get(URL)
    assert response.status_code == 200
    codes = {code for code, _label in response.context["form"].fields["template"].choices}
    assert codes == {"hu-top-691-segito-fehervar", "hu-school-social-help"}


@pytest.mark.django_db
def test_a_manager_sets_up_the_programme_with_a_lead_and_a_start(world, signed_in):
    client = signed_in(world.users[MGR])
    lead = world.users[SUP]
    response = client.post(
        URL,
        {
            "municipality": world.municipality_a.pk,
            "template": "hu-top-691-segito-fehervar",
            "lead": lead.pk,
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.municipality == world.municipality_a and programme.lead == lead
    assert programme.starts_on == date(2026, 1, 1)
    assert programme.indicators.count() == 13
    assert programme.created_by == world.users[MGR]


@pytest.mark.django_db
def test_a_template_of_another_country_or_a_lead_from_elsewhere_is_refused(world, signed_in):
    client = signed_in(world.users[MGR])
    response = client.post(
        URL, {"municipality": world.municipality_a.pk, "template": "cz-opz-setrvani", "lead": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["template"]
    response = client.post(
        URL,
        {
            "municipality": world.municipality_a.pk,
            "template": "hu-school-social-help",
            "lead": world.outsiders[MGR].pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lead"]
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_others_may_not_set_up_programmes(world, signed_in):
    assert signed_in(world.users[EDU]).get(URL).status_code == 403
