"""Whatever is typed or tampered with, the answer is a clear message, never a server error."""

import pytest
from django.urls import reverse

from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"after": "not-a-cursor"},
        {"after": "W10"},  # valid base64 of "[]"
        {"q": "x" * 5000},
        {"q": "%_\\'\""},
        {"q": "   "},
    ],
)
def test_the_child_list_survives_odd_parameters(world, signed_in, params):
    response = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("people:child_list"), params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"withdrawn_on": "yesterday", "version": "1"},
        {"withdrawn_on": "2026-11-01", "version": "one"},
        {},
    ],
)
def test_a_malformed_withdrawal_is_explained(world, signed_in, data):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("people:consent_withdraw", args=[world.inside.pk, world.consent_inside.pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    world.consent_inside.refresh_from_db()
    assert world.consent_inside.withdrawn_on is None


def test_a_bad_date_on_the_child_form_is_explained(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("people:child_create"),
        {"family_name": "Kiss", "given_name": "Ádám", "birth_date": "31.02.2019", "sex": "male"},
    )
    assert response.status_code == 200
    assert "valid date" in response.content.decode()
    assert "Ádám" in response.content.decode()
