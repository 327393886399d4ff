"""The real project's headline figures can be read back from the demo data."""

import datetime
import os

from django.core.management import call_command
from django.utils import timezone

from meedoen.reports.figures import Period, all_figures


def test_headline_figures_of_the_demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    today = timezone.localdate()
    figures = all_figures(Period(today - datetime.timedelta(days=548), today))
    assert 400 <= figures["signals"]["new"] <= 500  # about 450 signals in 18 months
    assert 18 <= figures["brigade"]["residents_visited"] <= 22  # about 20 residents visited
    assert 9 <= figures["brigade"]["referred_on"] <= 11  # 10 referred on
    assert figures["zelfregie"]["visitors"] >= 7500  # 8000+ visitors
    assert figures["path"]["signals_to_brigade"] > 0
