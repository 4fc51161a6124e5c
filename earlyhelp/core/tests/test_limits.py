"""A body too large to take gets a 413 before any view reads it: a page in the user's language
that says what to shorten, or problem details under /api/; attachments within their own limit
still go through."""

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings

from earlyhelp.core.limits import RequestSizeLimitMiddleware
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000, EARLYHELP_ATTACHMENT_MAX_BYTES=2 * 1024**2)
def test_a_form_too_long_gets_a_page_in_the_users_language(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    client.cookies["django_language"] = "hu"
    response = client.post("/concerns/new/", {"what_happened": "x" * 12_000, "send": "1"})
    assert response.status_code == 413
    assert [t.name for t in response.templates][0] == "core/too_large.html"
    page = response.content.decode()
    assert '<html lang="hu">' in page
    assert "2 MB" in page  # the attachment limit, beside the text's


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000, EARLYHELP_ATTACHMENT_MAX_BYTES=50_000)
def test_a_form_with_an_attachment_within_its_limit_is_not_refused(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    photo = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40_000)
    response = client.post("/concerns/new/", {"what_happened": "x", "attachments": photo})
    assert response.status_code != 413


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000, EARLYHELP_REQUEST_MAX_FILES=1)
def test_more_files_than_a_form_takes_at_full_size_are_refused(world, signed_in, settings):
    client = signed_in(world.users[Role.EDUCATOR])
    size = settings.EARLYHELP_ATTACHMENT_MAX_BYTES
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-" + b"0" * size) for n in range(2)]
    response = client.post("/concerns/new/", {"what_happened": "x", "attachments": files})
    assert response.status_code == 413


def test_a_body_read_too_large_without_a_length_is_refused_too(rf: RequestFactory):
    """A chunked body has no Content-Length; reading it raises instead."""
    middleware = RequestSizeLimitMiddleware(lambda request: None)
    request = rf.post("/api/v1/concerns", b"{}", content_type="application/json")
    response = middleware.process_exception(request, RequestDataTooBig())
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50)
def test_a_form_with_too_many_fields_gets_a_page_in_the_users_language(world, signed_in):
    """Django's own refusal (TooManyFieldsSent) was an English "Bad Request (400)"."""
    client = signed_in(world.users[Role.EDUCATOR])
    client.cookies["django_language"] = "hu"
    response = client.post("/concerns/new/", {f"field{n}": "x" for n in range(60)})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="hu">' in page
    assert "A kérést nem sikerült feldolgozni" in page
