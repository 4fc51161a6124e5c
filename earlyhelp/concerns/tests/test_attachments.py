"""Photos and PDFs on a report: checked by content and size, served only through the policy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.core.tests import samples
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db
PNG = samples.png()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _send(world, signed_in, *files):
    return signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), {**report_data(world, send="1"), "attachments": list(files)}
    )


def test_a_photo_is_attached_and_only_readers_of_the_report_download_it(world, signed_in):
    response = _send(world, signed_in, SimpleUploadedFile("bruise.png", PNG, "image/png"))
    assert response.status_code == 302
    concern = Concern.objects.get()
    attachment = concern.attachments.get()
    assert attachment.content_type == "image/png"
    url = reverse("concerns:attachment", args=[concern.pk, attachment.pk])
    helper = signed_in(world.users[Role.SOCIAL_HELPER]).get(url)
    assert helper.status_code == 200
    assert helper["Content-Disposition"].startswith("attachment")
    assert helper["Cache-Control"] == "no-store"
    assert attachment.file.name.endswith(".png") and "bruise" not in attachment.file.name
    assert signed_in(world.users[Role.INSTITUTION_LEAD]).get(url).status_code == 403
    assert signed_in(world.users[Role.CASE_WORKER]).get(url).status_code == 404


def test_a_disguised_file_is_refused_with_its_name_and_nothing_is_sent(world, signed_in):
    disguised = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not really a pdf", "application/pdf")
    response = _send(world, signed_in, disguised)
    assert response.status_code == 200
    assert "scan.pdf is not a photo (JPEG, PNG) or a PDF" in response.content.decode()
    concern = Concern.objects.get()
    assert concern.status == Concern.Status.DRAFT and not concern.attachments.exists()


def test_an_oversized_file_is_refused(world, signed_in, settings):
    settings.EARLYHELP_ATTACHMENT_MAX_BYTES = 50
    response = _send(world, signed_in, SimpleUploadedFile("big.png", PNG, "image/png"))
    assert "big.png is too large" in response.content.decode()
    assert not Concern.objects.get().attachments.exists()


def test_a_jpeg_header_hiding_a_page_is_refused_and_nothing_is_sent(world, signed_in):
    disguised = SimpleUploadedFile("bruise.jpg", b"\xff\xd8\xff\xe0" + samples.HTML, "image/jpeg")
    response = _send(world, signed_in, disguised)
    assert response.status_code == 200
    assert "bruise.jpg is damaged or incomplete" in response.content.decode()
    concern = Concern.objects.get()
    assert concern.status == Concern.Status.DRAFT and not concern.attachments.exists()
