"""The forms of a page as a browser sees them, read with the standard library's HTML parser:
what each field is, what it holds, and what a browser would send for it untouched."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_KINDS = {"text", "textarea", "email", "tel", "url", "search", "password"}
BUTTONS = {"submit", "button", "reset", "image"}


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "textarea", "select" or "radio"
    value: str = ""
    maxlength: int | None = None
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    checked: bool = False


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    submit: tuple[str, str] | None = None  # the first named submit button

    def baseline(self) -> list[tuple[str, str]]:
        """What a browser sends for the form as it was rendered, in order."""
        sent: list[tuple[str, str]] = []
        for item in self.fields:
            if item.kind == "file":
                continue
            if item.kind in {"checkbox", "radio"}:
                sent.extend((item.name, value) for value in item.selected)
            elif item.kind == "select":
                first = [item.options[0][0]] if item.options and not item.multiple else []
                sent.extend((item.name, value) for value in item.selected or first)
            else:
                sent.append((item.name, item.value))
        if self.submit:
            sent.append(self.submit)
        return sent

    def signature(self) -> tuple:
        return (
            self.action,
            self.method,
            tuple((f.name, f.kind, tuple(v for v, _ in f.options)) for f in self.fields),
        )


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: Field | None = None
        self.select: Field | None = None
        self.option: list | None = None  # [value, label, selected]

    def _named(self, name: str, kind: str) -> Field:
        """Radio buttons and checkboxes of one name are one field with options."""
        for item in self.form.fields:
            if item.name == name and item.kind == kind:
                return item
        item = Field(name=name, kind=kind, multiple=kind == "checkbox")
        self.form.fields.append(item)
        return item

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(
                action=a.get("action") or self.page_url,
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in BUTTONS:
                if name and kind == "submit" and self.form.submit is None:
                    self.form.submit = (name, a.get("value", ""))
                return
            if not name:
                return
            if kind in {"checkbox", "radio"}:
                item = self._named(name, kind)
                item.options.append((a.get("value", "on"), ""))
                if "checked" in a:
                    item.selected.append(a.get("value", "on"))
                return
            maxlength = a.get("maxlength")
            self.form.fields.append(
                Field(
                    name=name,
                    kind=kind,
                    value=a.get("value", ""),
                    maxlength=int(maxlength) if maxlength and maxlength.isdigit() else None,
                )
            )
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            if self.form.submit is None:
                self.form.submit = (name, a.get("value", ""))
        elif tag == "textarea" and name:
            maxlength = a.get("maxlength")
            self.textarea = Field(
                name=name,
                kind="textarea",
                maxlength=int(maxlength) if maxlength and maxlength.isdigit() else None,
            )
            self.form.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = Field(name=name, kind="select", multiple="multiple" in a)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "", "selected" in a]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            # The HTML parser keeps the newline a browser drops after <textarea>.
            if self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "select":
            if self.option is not None:
                self._close_option()
            self.select = None

    def _close_option(self):
        value, label, selected = self.option
        value = label.strip() if value is None else value
        self.select.options.append((value, label.strip()))
        if selected:
            self.select.selected.append(value)
        self.option = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def form_from_data(action: str, data: dict) -> Form:
    """A POST-only action's form, from the matrix's sample data: each field's kind is guessed
    from its value (a number, a date, or text)."""
    form = Form(action=action, method="post", multipart=False)
    for name, value in data.items():
        text = str(value)
        if isinstance(value, bool):
            kind = "checkbox"
        elif text.lstrip("-").isdigit():
            kind = "hidden" if name == "version" else "number"
        elif len(text) == 10 and text[4:5] == "-" and text[7:8] == "-":
            kind = "date"
        elif len(text) == 16 and text[10:11] == "T":
            kind = "datetime-local"
        else:
            kind = "text"
        item = Field(name=name, kind=kind, value="" if kind == "checkbox" else text)
        if kind == "checkbox":
            item.options = [("on", "")]
            item.selected = ["on"] if value else []
        form.fields.append(item)
    return form
