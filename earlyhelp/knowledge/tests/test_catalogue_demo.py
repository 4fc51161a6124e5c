"""The demo gives each municipality a catalogue of interventions in its language, and the demo's
activities name them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from earlyhelp.activities.models import Activity
from earlyhelp.knowledge.models import Method, MethodVersion
from earlyhelp.organisations.models import Municipality


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo generated twice (the second run must add nothing), rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_data", children_per_group=3, stdout=StringIO())
        counts = (Method.objects.count(), MethodVersion.objects.count())
        call_command("demo_data", children_per_group=3, stdout=StringIO())
        yield counts
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_each_municipality_has_a_catalogue_its_activities_follow(demo):
    assert (Method.objects.count(), MethodVersion.objects.count()) == demo
    for municipality in Municipality.objects.filter(methods__isnull=False).distinct():
        # The interventions the catalogue describes (a review's prototype is still to be rated).
        methods = Method.objects.filter(
            municipality=municipality, kind=Method.Kind.INTERVENTION, review__isnull=True
        )
        assert 5 <= methods.count() <= 8, municipality
        assert not methods.filter(evidence_level__isnull=True).exists()
        names = list(methods.values_list("name", flat=True))
        assert len(names) == len(set(names)), municipality
        assert methods.exclude(sources="").exists()
        followed = Activity.objects.filter(municipality=municipality, method__isnull=False)
        assert followed.exists(), municipality
        assert not followed.exclude(method__municipality=municipality).exists()
    assert Municipality.objects.filter(methods__isnull=False).distinct().count() == 3
