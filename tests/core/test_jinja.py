"""The Jinja2 parts of pages draw what Django's engine and crispy-bootstrap5 drew."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import engines
from django.test.utils import override_script_prefix
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from signalering.forms import ActionForm, NoteForm, SignalUpdateForm, TransitionForm
from signalering.models import Event, Signal
from signalering.workflow import Outcome, Status

jinja = engines["jinja2"].env


def _normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def _as_crispy(form) -> str:
    return engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}").render({"form": form})


def _as_jinja(form) -> str:
    template = jinja.from_string('{% from "partials/form.html" import form_fields %}{{ form_fields(form) }}')
    return template.render(form=form)


class KitchenSink(forms.Form):
    """Every kind of field the macro draws itself, and kinds it leaves to crispy."""

    name = forms.CharField(label="Naam & co", help_text="<em>Kort</em>", max_length=20)
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "own"}), required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(required=False)
    colour = forms.ChoiceField(choices=[("r", "rood"), ("g", "groen")], widget=forms.RadioSelect, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Dat gaat niet samen.")


@pytest.mark.parametrize("data", [None, {"name": "x" * 30, "kind": "z", "day": "31-02", "colour": "blauw"}])
def test_form_fields_draw_what_crispy_draws_unbound_and_with_errors(data):
    form = KitchenSink(data)
    assert _normalised(_as_jinja(form)) == _normalised(_as_crispy(form))
    if data:
        assert 'aria-invalid="true"' in _as_jinja(form)
        assert 'id="id_name_error" class="invalid-feedback"' in _as_jinja(form)
        assert "Dat gaat niet samen." in _as_jinja(form)


@pytest.mark.django_db
def test_the_signal_page_forms_draw_what_crispy_draws(signalering_world):
    signal = Signal.objects.get(pk=signalering_world["signal"])
    for form in [
        SignalUpdateForm(signal=signal),
        SignalUpdateForm({"next_step": "bellen", "expected_version": "x"}, signal=signal),
        TransitionForm(signal=signal),
        TransitionForm({"status": "nonsense"}, signal=signal),
        ActionForm(district_id=signal.district_id),
        ActionForm({"description": ""}, district_id=signal.district_id),
        NoteForm(),
        NoteForm({"text": ""}),
    ]:
        assert _normalised(_as_jinja(form)) == _normalised(_as_crispy(form)), type(form).__name__


@pytest.mark.parametrize("language", ["nl", "en"])
def test_display_names_every_choice_as_django_does(language):
    cases = [(Signal(), "status", Status), (Signal(), "outcome", Outcome), (Signal(), "urgency", Signal.Urgency)]
    cases += [(Event(), "kind", Event.Kind)]
    display = jinja.globals["display"]
    with translation.override(language):
        for obj, name, choices in cases:
            for value in [*choices.values, "unknown"]:
                setattr(obj, name, value)
                assert display(obj, name) == getattr(obj, f"get_{name}_display")()


def test_date_shows_a_moment_in_the_site_s_time_zone(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    django_date = engines["django"].from_string('{{ moment|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("nl"):
        shown = jinja.from_string('{{ moment|date("SHORT_DATE_FORMAT") }}').render(moment=late)
        assert shown == "1-4-2026" == django_date.render({"moment": late})


def test_text_is_escaped_and_translated():
    template = jinja.from_string('{{ value }} {{ _("overdue") }}')
    with translation.override("nl"):
        assert template.render(value="<b>x</b>") == "&lt;b&gt;x&lt;/b&gt; te laat"


def test_url_fills_in_ids_as_reverse_would_and_reverses_other_arguments():
    url = jinja.globals["url"]
    assert url("signalering:signal", 12) == reverse("signalering:signal", args=[12]) == "/signals/12/"
    assert url("signalering:meeting_item", 3, 45) == "/meetings/3/items/45/"
    assert url("signalering:signal", "7") == "/signals/7/", "a text argument is reversed"
    assert url("signalering:list") == "/signals/"
    with pytest.raises(NoReverseMatch):
        url("signalering:signal", "not a number")
    with override_script_prefix("/meedoen/"):
        assert url("signalering:signal", 12) == "/meedoen/signals/12/"
