"""The municipality's panel on the home page: the latest quarterly reports and their state."""

from django.urls import reverse
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.core.attention import Item, Panel, provider
from meedoen.reports.models import QuarterlyReport

LIMIT = 4


@provider
def municipality_panels(user) -> list[Panel]:
    if user.role != Role.MUNICIPALITY:
        return []
    reports = QuarterlyReport.objects.only("year", "quarter", "status")[:LIMIT]
    return [
        Panel(
            title=_("Quarterly reports"),
            empty=_("No quarterly reports are ready yet."),
            items=[
                Item(
                    text=f"{report}: {report.get_status_display()}",
                    url=reverse("reports:quarterly_detail", args=[report.pk]),
                )
                for report in reports
            ],
            more_url=reverse("reports:quarterly"),
        )
    ]
