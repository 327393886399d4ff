from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str):
    """The Jinja2 template `template_name` (templates/jinja2/, see core/jinja.py) drawn with this page's context."""
    return mark_safe(engines["jinja2"].env.get_template(template_name).render(context.flatten()))  # noqa: S308 - autoescaped
