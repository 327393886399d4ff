"""Small helpers the pillars' forms and views share."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme


class FormRenderer(Jinja2):
    """Form widgets drawn from Django's own Jinja2 widget templates (the same markup in a fraction of the time: a
    select draws a template per option); templates that exist only for Django's engine (the admin's widgets) are
    drawn by that engine."""

    @cached_property
    def django_engine(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.django_engine.get_template(template_name)


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: at its field where the form has one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def safe_next(request, default: str) -> str:
    """The `next` address (posted, or in the query) if it is a page of this site, else `default`.

    Its path must be absolute: `redirect()` takes a bare word ("0") for the name of a view, which is not found."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed and urlsplit(target).path.startswith("/") else default


class PlainChoiceIterator(ModelChoiceIterator):
    """A select's choices from one plain query. Django's own iterator opens a server-side cursor for them (three
    round trips to the database) where a few dozen rows are wanted."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainModelChoiceField(ModelChoiceField):
    """A ModelChoiceField whose choices come from one plain query, made once where several forms of a page are given
    the same queryset (Django's field copies it unread, so each form read it again)."""

    iterator = PlainChoiceIterator

    def _set_queryset(self, queryset):
        self._queryset = queryset
        self.widget.choices = self.choices

    queryset = property(ModelChoiceField._get_queryset, _set_queryset)
