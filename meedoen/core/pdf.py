"""HTML templates to PDF with WeasyPrint. Fonts and styles come from the app itself, never from the network."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"PDF rendering does not fetch {url}")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    stylesheet = CSS(filename=finders.find("css/print.css"))
    return HTML(string=html, url_fetcher=_no_network).write_pdf(stylesheets=[stylesheet])
