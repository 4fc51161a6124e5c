"""The crawler's own parts: it reads forms as a browser sends them, and it knows Django's English
messages when they reach a Hungarian page."""

from earlyhelp.tests.hostile import language
from earlyhelp.tests.hostile.pages import form_from_data, forms_of
from earlyhelp.tests.hostile.values import SWEEP, sweep_for

PAGE = """
<form method="get" action="/search/"><input name="q" value="x"></form>
<form method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input type="hidden" name="version" value="3">
  <input name="title" maxlength="20" value="Őszi">
  <textarea name="notes">
kept</textarea>
  <select name="child"><option value="">—</option><option value="7" selected>Bence</option></select>
  <input type="checkbox" name="workers" value="1" checked>
  <input type="checkbox" name="workers" value="2">
  <input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
  <input type="date" name="on" value="2026-01-02"><input type="file" name="upload">
  <input type="text" name="off" disabled value="no">
  <button type="submit" name="send" value="1">Send</button>
</form>"""


def test_forms_are_read_as_a_browser_sends_them():
    search, edit = forms_of(PAGE, "/page/")
    assert (search.method, search.action) == ("get", "/search/")
    assert edit.multipart and edit.action == "/page/"
    assert edit.baseline() == [
        ("csrfmiddlewaretoken", "t"),
        ("version", "3"),
        ("title", "Őszi"),
        ("notes", "kept"),
        ("child", "7"),
        ("workers", "1"),
        ("kind", "b"),
        ("on", "2026-01-02"),
        ("send", "1"),
    ]
    title = next(f for f in edit.fields if f.name == "title")
    assert title.maxlength == 20


def test_every_class_reaches_a_form_with_every_kind_of_field():
    _search, edit = forms_of(PAGE, "/page/")
    names = {attack.name for attack in sweep_for(edit, full=True)}
    expected = {a.name for a in SWEEP} - {"time-nonexistent", "time-ambiguous", "number-overflow"}
    assert expected <= names


def test_a_post_only_action_is_read_from_its_sample_data():
    form = form_from_data("/x/", {"ends_on": "2026-11-01", "version": 1, "note": "n"})
    assert [(f.name, f.kind) for f in form.fields] == [
        ("ends_on", "date"),
        ("version", "hidden"),
        ("note", "text"),
    ]


def test_english_messages_with_a_hungarian_translation_are_found():
    page = '<p class="field__error" id="x">This field is required.</p>'
    texts = language.error_texts(page)
    assert texts == ["This field is required."]
    assert language.english(texts) == texts
    assert language.english(["Ensure this value has at most 5 characters (it has 9)."])
    assert not language.english(["Ez a mező kötelező."])
