"""An upload is stored only if it parses whole as the type it claims: photos are re-encoded
without metadata, PDFs that would act when opened are refused, and stored names are generated."""

import base64
import io
import re
import zlib
from pathlib import Path

import pikepdf
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image, PngImagePlugin

from earlyhelp.core.pdf import Document
from earlyhelp.core.tests import samples
from earlyhelp.core.uploads import PDF_STREAM_MAX_BYTES, checked_upload, display_name, download_name

STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        checked_upload(samples.upload(name, content))
    return " ".join(refused.value.messages)


# --- PDFs ---------------------------------------------------------------------------------------


def test_a_pdf_with_javascript_run_on_opening_is_refused():
    def script(document):
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        document.Root.OpenAction = document.make_indirect(action)

    message = refusal("letter.pdf", samples.pdf(script))
    assert "letter.pdf contains scripts, actions or files inside it" in message


def test_a_pdf_with_a_javascript_name_tree_is_refused():
    def names(document):
        script = document.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
        )
        tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script]))
        document.Root.Names = pikepdf.Dictionary(JavaScript=tree)

    assert "contains scripts" in refusal("form.pdf", samples.pdf(names))


def test_a_link_that_launches_a_program_is_refused_deep_in_a_page():
    def launch(document):
        action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action
        )
        document.pages[0].Annots = pikepdf.Array([link])

    assert "contains scripts" in refusal("link.pdf", samples.pdf(launch))


def test_a_pdf_with_an_embedded_file_is_refused():
    def attach(document):
        document.attachments["note.html"] = pikepdf.AttachedFileSpec(
            document, samples.HTML, mime_type="text/html"
        )

    assert "contains scripts, actions or files inside it" in refusal(
        "scan.pdf", samples.pdf(attach)
    )


def test_an_xfa_form_is_refused():
    def xfa(document):
        document.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=pikepdf.String("<xdp/>"))

    assert "contains scripts" in refusal("xfa.pdf", samples.pdf(xfa))


def test_a_plain_pdf_that_opens_at_its_first_page_is_kept_as_it_was():
    def open_at_first_page(document):
        document.Root.OpenAction = pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])

    content = samples.pdf(open_at_first_page)
    checked = checked_upload(samples.upload("order.pdf", content))
    assert checked.content_type == "application/pdf"
    assert checked.file.read() == content and checked.size == len(content)


def test_a_pdf_as_earlyhelp_makes_them_is_accepted():
    document = Document(running_head="Chronology · 12")
    document.add_page()
    document.section("Gyermek")
    document.paragraph("Őszi szünet után nem jött iskolába. " * 80)
    content = bytes(document.output())
    assert checked_upload(samples.upload("chronology.pdf", content)).file.read() == content


@pytest.mark.parametrize(
    "content",
    [
        samples.pdf()[:300],  # cut off halfway
        b"%PDF-1.7\n" + samples.HTML,  # a PDF header, then a page
    ],
    ids=["truncated", "pdf-header-then-html"],
)
def test_a_pdf_that_does_not_parse_is_refused_as_damaged(content):
    assert "order.pdf is damaged or incomplete" in refusal("order.pdf", content)


def test_a_pdf_whose_page_inflates_beyond_the_limit_is_refused():
    def bomb(document):
        spaces = zlib.compress(b" " * (PDF_STREAM_MAX_BYTES + 8 * 1024 * 1024), 9)
        document.pages[0].obj.Contents = document.make_stream(
            spaces, Filter=pikepdf.Name.FlateDecode
        )

    content = samples.pdf(bomb, decode=False)
    assert len(content) < 200_000
    assert "bomb.pdf is damaged or incomplete" in refusal("bomb.pdf", content)


def test_a_pdf_locked_by_a_password_is_refused():
    document = pikepdf.Pdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    assert "protected by a password" in refusal("locked.pdf", out.getvalue())


def test_an_upload_named_html_holding_a_pdf_is_stored_as_a_pdf():
    checked = checked_upload(samples.upload("x.html", samples.pdf(), "text/html"))
    assert STORED_NAME.match(checked.file.name) and checked.file.name.endswith(".pdf")
    assert checked.display_name == "x.html"
    assert download_name(checked.display_name, checked.content_type) == "x.pdf"


# --- Photos -------------------------------------------------------------------------------------


def test_a_jpeg_header_followed_by_html_is_refused():
    assert "photo.jpg is damaged or incomplete" in refusal(
        "photo.jpg", b"\xff\xd8\xff\xe0" + samples.HTML
    )


def test_html_appended_to_a_real_jpeg_is_dropped_by_the_re_encoding():
    checked = checked_upload(samples.upload("photo.jpg", samples.jpeg() + samples.HTML))
    stored = checked.file.read()
    assert b"<script>" not in stored and stored.startswith(b"\xff\xd8\xff")
    assert STORED_NAME.match(checked.file.name) and checked.file.name.endswith(".jpg")


def test_a_truncated_png_is_refused():
    whole = samples.png()
    assert "bruise.png is damaged or incomplete" in refusal("bruise.png", whole[: len(whole) - 30])


@pytest.mark.parametrize("side", [10_000, 20_000], ids=["warned-by-pillow", "refused-by-pillow"])
def test_a_decompression_bomb_is_refused_with_a_message(side):
    message = refusal("bomb.png", samples.png_claiming(side, side))
    assert "bomb.png has too many pixels to be a photo" in message


def test_a_photo_is_turned_upright_and_loses_its_location():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turned 90°
    exif[0x8825] = {1: "N", 2: (47.0, 30.0, 0.0)}  # GPS: where the child was photographed
    original = samples.jpeg(size=(40, 30), exif=exif)
    assert Image.open(io.BytesIO(original)).getexif()

    stored = checked_upload(samples.upload("arm.jpg", original)).file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (30, 40)
        assert dict(image.getexif()) == {}


def test_text_hidden_in_a_photos_comment_or_text_chunks_is_not_kept():
    commented = io.BytesIO()
    Image.new("RGB", (20, 20)).save(commented, format="JPEG", comment=samples.HTML)
    texts = PngImagePlugin.PngInfo()
    texts.add_text("Comment", samples.HTML.decode())
    annotated = io.BytesIO()
    Image.new("P", (20, 20)).save(annotated, format="PNG", pnginfo=texts, transparency=0)

    photo = checked_upload(samples.upload("a.jpg", commented.getvalue())).file.read()
    drawing = checked_upload(samples.upload("b.png", annotated.getvalue())).file.read()
    assert b"<script>" not in photo and b"<script>" not in drawing
    assert Image.open(io.BytesIO(drawing)).info == {"transparency": 0}


def test_a_png_is_stored_re_encoded_under_a_generated_name():
    checked = checked_upload(samples.upload("../../etc/bruise.PNG", samples.png()))
    assert checked.content_type == "image/png" and checked.file.name.endswith(".png")
    assert STORED_NAME.match(checked.file.name)
    assert checked.display_name == "bruise.PNG"


def test_a_name_is_shown_without_control_characters():
    assert display_name("a\x00b\u202ec.pdf") == "abc.pdf"
    assert display_name("\x00") == "file"


# Files earlyhelp writes itself (not uploads): kept in their app's dated folder like the rest,
# never filled from a request.
GENERATED = {"audit.AuditExport.file"}
# Files earlyhelp only reads and never serves back to anyone: a roster file is parsed as data
# (CSV or XLSX, formulas never run; imports/reading.py), then deleted.
READ_ONLY = {"imports.RosterImport.file"}


def test_every_stored_file_is_checked_by_its_app_and_kept_in_its_dated_folder():
    """A new model with a file must be filled through checked_upload, like the rest (a file
    earlyhelp writes itself is listed in GENERATED)."""
    fields = [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("earlyhelp.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert {f"{model._meta.label}.{field.name}" for model, field in fields} >= {
        "concerns.ConcernAttachment.file",
        "cases.CaseDocument.file",
        "safety.ThreeHouses.drawing",
    }
    for model, field in fields:
        app = model._meta.app_config
        assert field.upload_to == f"{app.label}/%Y/%m/", field
        if f"{model._meta.label}.{field.name}" in GENERATED | READ_ONLY:
            continue
        services = Path(app.path) / "services.py"
        assert "checked_upload(" in services.read_text(), f"{app.label} stores files unchecked"


# Two JPEGs with broken EXIF tags, found by mutating a photo: Pillow decodes them, but writing
# their EXIF back when turning them upright raised struct.error and TypeError (a 500).
BROKEN_EXIF_STRUCT = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAuRXhpZgAATU0AKgAAAAgAAgFEAAIAAAAEQ2FtAAESAAMAAAABAAYAAAAA"
    "AAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgy"
    "PC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
    "MjIyMjIyMjL/wAARCAAeACgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAA"
    "AgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaFH8WT2CCNCscEVUtHwJDNicoIJChYXGBkaJSYn"
    "KCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqdl"
    "bmRvYmqoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEB"
    "AQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRC"
    "kaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5"
    "eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz"
    "9PX29/j5+v/aAAwDAQACEQMRAD8A4KiiivDP1QKKKKACiiigAooooAKKKKACiiigD//Z"
)
BROKEN_EXIF_TYPE = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAuRXhpZgAATU0AKgAAAAgAAgE/AAIAAAAEQ2FtAAESAAMAAAABAAYAAAAA"
    "AAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgy"
    "PC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
    "MjIyMjIyMjL/wAARCAAeACgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAA"
    "AgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0"
    "NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKz"
    "tLW2t7i5usLDxMCiTp8NB8FFbN4vF8XGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEB"
    "AQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEI"
    "FEI8PJGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo"
    "6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AOCooorwz9UCiiigAooooAKKKKACiiigAooooA//2Q=="
)


@pytest.mark.parametrize("data", [BROKEN_EXIF_STRUCT, BROKEN_EXIF_TYPE], ids=["struct", "type"])
def test_a_photo_whose_exif_cannot_be_written_back_is_refused_as_damaged(data):
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        checked_upload(SimpleUploadedFile("photo.jpg", data))
