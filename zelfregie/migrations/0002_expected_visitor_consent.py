import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Expected visitors keep when the consent was given, and no longer a free-text note for the hosts."""

    dependencies = [
        ("zelfregie", "0001_places_sessions_activities_participants"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="expectedvisitor",
            name="note",
        ),
        migrations.AddField(
            model_name="expectedvisitor",
            name="consent_at",
            # Only to add the column to the rows already there; 0003 sets them to when they were announced.
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="consent given on"),
            preserve_default=False,
        ),
    ]
