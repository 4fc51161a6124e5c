import pytest

from earlyhelp.protocols.models import Profile
from earlyhelp.tests import factories as f


@pytest.fixture(autouse=True)
def budapest_time(settings):
    # Deadlines end at 23:59:59 in settings.TIME_ZONE; the tests state it rather than inherit it.
    settings.TIME_ZONE = "Europe/Budapest"


@pytest.fixture
def place(db):
    """place("HU") -> a new municipality in that country."""

    def _place(code: str):
        return f.MunicipalityFactory(jurisdiction=f.JurisdictionFactory(code=code))

    return _place


@pytest.fixture
def shipped(db):
    """shipped("DK") -> the newest published version the migrations ship (HU: 3, others: 2)."""
    return lambda key: Profile.objects.published().filter(key=key).order_by("-version").first()
