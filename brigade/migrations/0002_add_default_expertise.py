from django.db import migrations

# A starting list; the coordinators keep their own in the admin.
EXPERTISE = ["Psychose", "Verslaving", "Rouw", "Schulden", "Eenzaamheid", "Dakloosheid", "Familie en naasten"]


def add_expertise(apps, schema_editor):
    Expertise = apps.get_model("brigade", "Expertise")
    for name in EXPERTISE:
        Expertise.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("brigade", "0001_initial")]

    operations = [migrations.RunPython(add_expertise, migrations.RunPython.noop)]
