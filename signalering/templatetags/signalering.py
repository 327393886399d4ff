from django import template
from django.utils.html import format_html

from signalering.models import Signal

register = template.Library()


@register.simple_tag
def urgency_badge(signal: Signal) -> str:
    """The urgency as a coloured badge (a tag, not an include: it is drawn on every row of a list)."""
    return format_html('<span class="badge text-bg-{}">{}</span>', signal.urgency_tone, signal.get_urgency_display())
