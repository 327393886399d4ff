from django.db import migrations

# Defaults a municipality starts from and changes in the admin: two years after closing. Long enough for a signal
# that comes back (relapse is common) to be reopened with its history, and for year-on-year evaluation while the
# records are still whole; short enough that nobody is followed by an old worry. The figures stay either way.
DEFAULTS = {"signal": 24, "visit_request": 24}


def add_periods(apps, schema_editor):
    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for kind, months in DEFAULTS.items():
        RetentionPeriod.objects.get_or_create(kind=kind, defaults={"months": months})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_retention_periods_runs_and_erasures")]

    operations = [migrations.RunPython(add_periods, migrations.RunPython.noop)]
