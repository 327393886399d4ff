from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from meedoen.core.forms import FormRenderer


def test_forms_are_drawn_by_the_jinja2_widget_templates_and_the_admin_s_by_django():
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    assert isinstance(renderer.get_template("admin/widgets/date.html"), DjangoTemplate)


def test_a_select_and_an_admin_widget_render_their_markup():
    select = forms.Select(choices=[("a", "Één & twee"), ("b", "drie")]).render("kind", "b")
    assert '<option value="b" selected>drie</option>' in select
    assert "Één &amp; twee" in select, "escaped as with Django's engine"
    assert 'class="vDateField"' in AdminDateWidget().render("day", None)
