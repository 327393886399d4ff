from django.db import migrations
from django.db.models import F


def fill_consent(apps, schema_editor):
    """The brigade announced a visitor only with the resident's consent, given when they announced them."""
    ExpectedVisitor = apps.get_model("zelfregie", "ExpectedVisitor")
    ExpectedVisitor.objects.update(consent_at=F("announced_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("zelfregie", "0002_expected_visitor_consent"),
    ]

    operations = [
        migrations.RunPython(fill_consent, migrations.RunPython.noop, elidable=True),
    ]
