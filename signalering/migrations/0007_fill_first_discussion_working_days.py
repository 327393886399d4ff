from django.db import migrations
from django.utils import timezone

from meedoen.core.workdays import working_days_between


def fill(apps, schema_editor):
    Signal = apps.get_model("signalering", "Signal")
    signals = Signal.objects.filter(first_discussed_at__isnull=False, first_discussion_working_days__isnull=True)
    for signal in signals.only("created_at", "first_discussed_at").iterator(chunk_size=2000):
        reported, first = timezone.localdate(signal.created_at), timezone.localdate(signal.first_discussed_at)
        signal.first_discussion_working_days = working_days_between(reported, first)
        signal.save(update_fields=["first_discussion_working_days"])


class Migration(migrations.Migration):
    dependencies = [("signalering", "0006_signal_first_discussion_working_days")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
