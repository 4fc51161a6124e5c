"""Every record with a start and an end refuses to end before it starts: in the model's
clean() (the admin and imports, with the error on the end field) and in the database."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.activities.models import Activity, Participant
from earlyhelp.cases.models import Case
from earlyhelp.contacts.models import Arrangement, Meeting, Report
from earlyhelp.fostercare.models import Placement, Respite, SupportAgreement
from earlyhelp.organisations.models import Membership
from earlyhelp.people.models import Consent, Enrolment
from earlyhelp.screening.models import Round

pytestmark = pytest.mark.django_db

START = date(2026, 5, 2)
MOMENT = timezone.make_aware(datetime(2026, 5, 2, 10, 0))

PERIODS = [
    (Enrolment, "starts_on", "ends_on"),
    (Consent, "given_on", "valid_until"),
    (Consent, "given_on", "withdrawn_on"),
    (Membership, "starts_on", "ends_on"),
    (Arrangement, "starts_on", "ends_on"),
    (Meeting, "starts_at", "ends_at"),
    (Report, "period_from", "period_to"),
    (Placement, "starts_on", "ends_on"),
    (SupportAgreement, "signed_on", "ends_on"),
    (Respite, "starts_on", "ends_on"),
    (Round, "opens_on", "closes_on"),
    (Activity, "starts_on", "ends_on"),
    (Participant, "joined_on", "left_on"),
    (Case, "opened_at", "closed_at"),
]


def backwards(model, start: str, end: str):
    first = MOMENT if start.endswith("_at") else START
    step = timedelta(hours=1) if start.endswith("_at") else timedelta(days=1)
    return model(**{start: first, end: first - step})


@pytest.mark.parametrize(("model", "start", "end"), PERIODS)
def test_the_database_refuses_a_period_that_ends_before_it_starts(model, start, end):
    record = backwards(model, start, end)
    others = [f.name for f in model._meta.fields if f.name not in (start, end)]
    with pytest.raises(ValidationError):
        record.validate_constraints(exclude=others)


@pytest.mark.parametrize(
    ("model", "start", "end"),
    [period for period in PERIODS if period[0] not in (Enrolment, Consent, Membership)],
)
def test_the_admin_refuses_it_on_the_end_field(model, start, end):
    record = backwards(model, start, end)
    with pytest.raises(ValidationError) as refused:
        record.clean()
    assert list(refused.value.message_dict) == [end]


@pytest.mark.parametrize(("model", "start", "end"), PERIODS)
def test_a_period_of_one_day_or_an_open_one_is_fine(model, start, end):
    first = MOMENT if start.endswith("_at") else START
    others = [f.name for f in model._meta.fields if f.name not in (start, end)]
    model(**{start: first, end: first}).validate_constraints(exclude=others)
    if model._meta.get_field(end).null:
        model(**{start: first, end: None}).validate_constraints(exclude=others)
