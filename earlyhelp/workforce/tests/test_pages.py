"""The pages that keep a staff record and training: edits refused when stale, certificates
checked, reads audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.workforce.models import Attendance, Employment, StaffProfile, TrainingEvent
from earlyhelp.workforce.tests.builders import (
    PDF,
    attended,
    event,
    helper_profile,
    qualification,
)

pytestmark = pytest.mark.django_db


def test_a_supervisor_starts_a_profile_for_their_worker(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    worker = world.users[Role.CASE_WORKER]
    response = client.post(
        reverse("workforce:staff_create"),
        {"staff": worker.pk, "institutions": [world.school_a1.pk]},
    )
    profile = StaffProfile.objects.get(user=worker)
    assert response.status_code == 302
    assert list(profile.institutions.all()) == [world.school_a1]
    assert profile.municipality == world.municipality_a
    assert AuditEvent.objects.filter(action="create", object_id=str(profile.pk)).exists()


def test_a_supervisor_cannot_start_a_profile_for_someone_elsewhere(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("workforce:staff_create"), {"staff": world.outsiders[Role.SOCIAL_HELPER].pk}
    )
    assert response.status_code == 200
    assert not StaffProfile.objects.exists()


def test_employment_is_added_and_a_stale_edit_is_refused_keeping_what_was_typed(world, signed_in):
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    client.post(
        reverse("workforce:record_new", args=[profile.pk, "employment"]),
        {"service": world.service_a.pk, "hours_per_week": "40", "starts_on": "2024-09-01"},
    )
    employment = Employment.objects.get(profile=profile)
    url = reverse("workforce:record_edit", args=[profile.pk, "employment", employment.pk])
    data = {"service": world.service_a.pk, "starts_on": "2024-09-01", "version": "1"}
    assert client.post(url, {**data, "hours_per_week": "30"}).status_code == 302
    stale = client.post(url, {**data, "hours_per_week": "20", "ends_on": "2025-08-31"})
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else changed this record" in html
    assert 'value="2025-08-31"' in html
    employment.refresh_from_db()
    assert employment.hours_per_week == 30 and employment.ends_on is None


def test_a_period_that_ends_before_it_starts_is_refused(world, signed_in):
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("workforce:record_new", args=[profile.pk, "employment"]),
        {
            "service": world.service_a.pk,
            "hours_per_week": "20",
            "starts_on": "2025-09-01",
            "ends_on": "2025-01-01",
        },
    )
    assert response.status_code == 200 and not Employment.objects.exists()


def test_a_stale_edit_of_the_institutions_served_is_refused(world, signed_in):
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:staff_edit", args=[profile.pk])
    client.post(url, {"institutions": [world.school_a1.pk], "version": "1"})
    stale = client.post(url, {"institutions": [world.school_a2.pk], "version": "1"})
    assert "Someone else changed this record" in stale.content.decode()
    assert list(profile.institutions.all()) == [world.school_a1]


def test_an_institution_of_another_municipality_is_not_offered(world, signed_in):
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:staff_edit", args=[profile.pk])
    response = client.post(url, {"institutions": [world.school_b1.pk], "version": "1"})
    assert response.status_code == 200
    assert not profile.institutions.exists()


def test_the_supervisor_adds_a_training_event_and_records_attendance_with_a_certificate(
    world, signed_in
):
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    today = date.today().isoformat()
    client.post(
        reverse("workforce:training_create"),
        {
            "municipality": world.municipality_a.pk, "title": "Trauma-informed practice",
            "topic": "Trauma", "provider": "Institute", "starts_on": today, "ends_on": today,
            "hours": "6",
        },
    )  # fmt: skip
    made = TrainingEvent.objects.get()
    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("workforce:attendance_add", args=[made.pk]),
        {"staff": profile.pk, "hours": "", "certificate": upload},
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.hours == Decimal(6)
    assert attendance.certificate_type == "application/pdf"
    download = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("workforce:certificate", args=[attendance.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="export", object_id=str(attendance.pk)).exists()


def test_a_certificate_that_is_not_a_pdf_or_a_photo_is_refused(world, signed_in):
    profile = helper_profile(world, True)
    made = event(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    upload = SimpleUploadedFile("cert.pdf", b"<html>not a pdf</html>", content_type="text/html")
    response = client.post(
        reverse("workforce:attendance_add", args=[made.pk]),
        {"staff": profile.pk, "hours": "2", "certificate": upload},
    )
    assert response.status_code == 200
    assert "is not a photo (JPEG, PNG) or a PDF" in response.content.decode()
    assert 'value="2"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_no_more_hours_are_credited_than_the_event_had(world, signed_in):
    profile = helper_profile(world, True)
    made = event(world, True, hours=Decimal(4))
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("workforce:attendance_add", args=[made.pk]), {"staff": profile.pk, "hours": "5"}
    )
    assert response.status_code == 200 and not Attendance.objects.exists()


def test_a_supervisor_sees_only_the_attendance_of_their_own_workers(world, signed_in):
    own = attended(world, True)
    page = signed_in(world.users[Role.ADMIN]).get(
        reverse("workforce:training", args=[own.event_id])
    )
    assert str(own.staff) in page.content.decode()
    # The outsider's attendance is not offered to A's supervisor; nor is their record found.
    outside = attended(world, False)
    url = reverse("workforce:certificate", args=[outside.pk])
    assert signed_in(world.users[Role.SUPERVISOR]).get(url).status_code == 404


def test_reads_of_a_staff_record_are_audited(world, signed_in):
    profile = helper_profile(world, True)
    qualification(world, True)
    signed_in(world.users[Role.SUPERVISOR]).get(reverse("workforce:staff", args=[profile.pk]))
    read = AuditEvent.objects.filter(
        action="view", object_type="workforce.staffprofile", object_id=str(profile.pk)
    )
    assert read.filter(actor_id=world.users[Role.SUPERVISOR].pk, role="supervisor").exists()
    signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("workforce:me"))
    assert read.filter(actor_id=world.users[Role.SOCIAL_HELPER].pk).exists()
    signed_in(world.users[Role.SUPERVISOR]).get(reverse("workforce:norm_check"))
    assert AuditEvent.objects.filter(
        action="list", object_type="workforce.staffprofile", purpose="training norm check"
    ).exists()


def test_a_stale_edit_of_a_training_event_is_refused_keeping_what_was_typed(world, signed_in):
    made = event(world, True, hours=Decimal(6))
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:training_edit", args=[made.pk])
    day = made.starts_on.isoformat()
    data = {"title": "Renamed", "starts_on": day, "ends_on": day, "hours": "6", "version": "1"}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "title": "Typed again", "provider": "Another"})
    html = stale.content.decode()
    assert "Someone else changed this record" in html and 'value="Typed again"' in html
    made.refresh_from_db()
    assert made.title == "Renamed" and made.version == 2


def test_an_event_keeps_at_least_the_hours_credited(world, signed_in):
    credited = attended(world, True, hours=Decimal(8))
    client = signed_in(world.users[Role.SUPERVISOR])
    day = credited.event.starts_on.isoformat()
    response = client.post(
        reverse("workforce:training_edit", args=[credited.event_id]),
        {"title": "Short", "starts_on": day, "ends_on": day, "hours": "4", "version": "1"},
    )
    assert response.status_code == 200
    credited.event.refresh_from_db()
    assert credited.event.hours == 8
