from django.db import migrations

# A starting list; each municipality keeps its own in the admin.
CATEGORIES = [
    "Sociaal isolement",
    "Verward gedrag",
    "Vervuiling of verwaarlozing",
    "Overlast",
    "Financiële zorgen",
    "Verslaving",
    "Psychische klachten",
    "Eenzaamheid",
]


def add_categories(apps, schema_editor):
    ConcernCategory = apps.get_model("signalering", "ConcernCategory")
    for position, name in enumerate(CATEGORIES):
        ConcernCategory.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("signalering", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
