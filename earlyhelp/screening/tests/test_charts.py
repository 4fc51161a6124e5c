"""The screening charts in Hungarian and Czech (decimal commas): drawn by the one chart code
path, every SVG number with a decimal point, and a child or class with a single round shown
as a dot."""

import pytest
from django.urls import reverse
from django.utils import translation

from earlyhelp.core.tests.svg import assert_drawn_for_every_language, svgs
from earlyhelp.organisations.models import Role
from earlyhelp.screening.tests.test_views import CODES, a_round, fill_class
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _get(client, url):
    def render(language):
        # The locale middleware activates the request's language and leaves it active: keep it
        # inside an override so that the tests after this one read English again.
        with translation.override(language):
            return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    return render


def test_a_single_round_of_a_flagged_child_is_drawn_on_the_round_and_the_flag(world, signed_in):
    round_ = a_round(world)
    rating = f.RatingFactory(round=round_, child=world.inside, group=world.class_a1)
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    assert_drawn_for_every_language(_get(helper, round_.get_absolute_url()))
    flag = reverse("screening:flag", args=[round_.pk, rating.pk])
    assert_drawn_for_every_language(_get(helper, flag))
    page = helper.get(flag).content.decode()
    assert 'role="img"' in page and "chart__svg" in page and "style=" not in "".join(svgs(page))


def test_the_movement_of_a_class_with_a_single_round(world, signed_in):
    round_ = a_round(world)
    for n, child in enumerate(fill_class(world, 3)):
        f.RatingFactory(
            round=round_, child=child, group=world.class_a1,
            answers=dict.fromkeys(CODES, 2 if n == 0 else 0), worry=14 if n == 0 else 0,
            flagged=n == 0,
        )  # fmt: skip
    url = reverse("screening:movement", args=[round_.pk, world.class_a1.pk])
    client = signed_in(world.users[Role.EDUCATOR])
    assert_drawn_for_every_language(_get(client, url))
    page = _get(client, url)("hu")
    assert "33 %" in page and "100 %" in page  # the share and the top of the scale


def test_the_overview_bars_in_hungarian_and_czech(world, signed_in):
    round_ = a_round(world)
    for n, child in enumerate(fill_class(world, 8)):
        f.RatingFactory(
            round=round_, child=child, group=world.class_a1,
            answers=dict.fromkeys(CODES, 2 if n < 3 else 0),
            worry=14 if n < 3 else 0, flagged=n < 3,
        )  # fmt: skip
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    render = _get(client, reverse("screening:overview"))
    assert_drawn_for_every_language(render, dots_at_least=0)
    page = render("hu")
    assert '<rect x="0" y="0" width="38.0"' in page and "38 %" in page
