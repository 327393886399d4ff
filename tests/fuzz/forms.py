"""The forms of a page as the browser sees them, and Hypothesis strategies for what a person (or an attacker) might
send through them: the offered values, and anything else."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from hypothesis import strategies as st

# Values that broke forms elsewhere: overflowing numbers, impossible dates, NUL (PostgreSQL refuses it in text),
# markup, SQL, a very long text, and ids of objects that do not exist or belong to someone else.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "1e5",
    "NaN",
    "2026-02-30",
    "31-12-2026",
    "0000-00-00",
    "25:61",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%n",
    "x" * 5000,
]
JUNK = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
NOT_FUZZED = {"csrfmiddlewaretoken"}
MULTIPLE = {"checkbox", "select-multiple"}


@dataclass
class Field:
    name: str
    kind: str  # an input type, "select", "select-multiple", "textarea" or "button"
    values: list[str] = field(default_factory=list)  # the values the page offers or fills in


@dataclass
class Form:
    page: str
    action: str  # a path
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self):
        return (self.method, self.action, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None
        self.also_posted_to: list[str] = []  # htmx buttons inside a form that post the form elsewhere

    def _add(self, name: str | None, kind: str, value: str | None) -> Field | None:
        if self.form is None or not name:
            return None
        found = self.form.fields.setdefault(name, Field(name, kind))
        if value is not None and value not in found.values:
            found.values.append(value)
        return found

    def _path(self, address: str) -> str:
        address = urlsplit(urljoin(self.page, address))
        return address.path + (f"?{address.query}" if address.query else "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.form is not None and attrs.get("hx-post"):
            self.also_posted_to.append(self._path(attrs["hx-post"]))
        if tag == "form":
            self.form = Form(
                self.page, self._path(attrs.get("action") or self.page), (attrs.get("method") or "get").lower()
            )
            self.forms.append(self.form)
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "image", "reset", "button"} and not attrs.get("name"):
                return
            self._add(attrs.get("name"), kind, attrs.get("value", "on" if kind in {"checkbox", "radio"} else None))
        elif tag == "button" and attrs.get("name"):
            self._add(attrs["name"], "button", attrs.get("value", ""))
        elif tag == "select":
            self.select = self._add(attrs.get("name"), "select-multiple" if "multiple" in attrs else "select", None)
        elif tag == "option" and self.select is not None and "value" in attrs:
            self.select.values.append(attrs["value"])
        elif tag == "textarea":
            self.textarea = self._add(attrs.get("name"), "textarea", None)

    def handle_data(self, data):
        if self.textarea is not None and data.strip():
            self.textarea.values.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms += [Form(self.page, path, "post", self.form.fields) for path in self.also_posted_to]
            self.form, self.also_posted_to = None, []
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def page_forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


def field_strategy(item: Field):
    """What goes into one field: mostly what the page offers, often junk, sometimes nothing at all (None: left out,
    as a tampered request would)."""
    offered = [st.sampled_from(item.values)] * 2 if item.values else []
    one = st.one_of(*offered, JUNK)
    if item.kind in MULTIPLE:
        return st.one_of(st.none(), st.lists(one, min_size=1, max_size=3))
    return st.one_of(st.none(), one)


def form_data(form: Form):
    """A whole submission: each field fuzzed, the CSRF token kept (the test client does not check it anyway)."""
    fuzzed = {name: field_strategy(item) for name, item in form.fields.items() if name not in NOT_FUZZED}
    return st.fixed_dictionaries(fuzzed).map(
        lambda data: {key: value for key, value in data.items() if value is not None}
    )
