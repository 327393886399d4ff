"""The Jinja2 environment of the parts of pages drawn most often (a list's rows, a signal's page body).

Those parts are included in the pages' Django templates with `{% jinja "name" %}` (core/templatetags/jinja.py):
pages keep one base template, and the loops that draw a row or a form field many times a request run in Jinja2,
several times faster than Django's engine on the same markup.

Translatable text in these templates is written `{{ _("…") }}`, alone in its tag, so that `makemessages` (which
reads them as Django templates) finds it.
"""

import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.conf import settings
from django.template import defaultfilters
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

# Widgets that crispy-bootstrap5 draws in a wrapper of its own (a form-check, a fieldset): left to crispy.
CRISPY_DRAWN = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


MARKER = 7_000_000_000_000_001  # a number no id reaches, reversed in place of the arguments


@functools.lru_cache(maxsize=256)
def _address_format(name: str, count: int, urlconf: str, prefix: str) -> str:
    markers = [str(MARKER + n) for n in range(count)]
    address = reverse(name, args=markers, urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for marker in markers:
        address = address.replace(marker, "{}")
    return address


def url(name: str, *args) -> str:
    """`reverse(name, args=args)`. With whole-number arguments (ids) the address is reversed once and filled in
    after: a list reverses an address per row, and reversing cost a third of drawing a row."""
    if all(type(arg) is int for arg in args):
        return _address_format(name, len(args), get_urlconf(settings.ROOT_URLCONF), get_script_prefix()).format(*args)
    return reverse(name, args=args)


def optional_url(name: str) -> str:
    """The address of a view that may not be installed, else "" (as `{% url … as name %}` does)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@pass_context
def csrf_input(context) -> Markup:
    return Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">').format(escape(context["csrf_token"]))


def bootstrap_widget(field: forms.BoundField) -> str | None:
    """The field's widget with the classes crispy-bootstrap5 gives it (partials/form.html draws the rest of the field
    as crispy does); None for the widgets crispy draws in a wrapper of its own."""
    widget = field.field.widget
    if isinstance(widget, CRISPY_DRAWN):
        return None
    classes = widget.attrs.get("class", "").split()
    for name in (
        widget.__class__.__name__.lower(),
        "form-select" if isinstance(widget, forms.Select) else "form-control",
    ):
        if name not in classes:
            classes.append(name)
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(classes)})


def date(value, arg: str | None = None) -> str:
    """Django's `date` filter, in the site's time zone as Django's engine would show it."""
    return defaultfilters.date(template_localtime(value), arg)


@functools.cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


def display(obj, name: str) -> str:
    """`obj.get_<name>_display()`, without Django's version's cost: it hashes (and so translates) every label of the
    field on every call, which on a list's rows took longer than drawing the rest of the row."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return str(_labels(field).get(value, value))


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's Jinja2 backend turns autoescape on
    env.globals.update(
        _=gettext,
        display=display,
        url=url,
        optional_url=optional_url,
        csrf_input=csrf_input,
        bootstrap_widget=bootstrap_widget,
        crispy_field=as_crispy_field,
    )
    env.filters.update(
        date=date,
        capfirst=defaultfilters.capfirst,
        linebreaksbr=defaultfilters.linebreaksbr,
        truncatechars=defaultfilters.truncatechars,
    )
    return env
