"""Home page panels: the municipality's latest quarterly reports, the project leader's figures of this quarter."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.core.attention import Item, Panel, provider
from meedoen.reports.figures import Period, all_figures
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


@provider
def project_leader_panels(user) -> list[Panel]:
    """The headline figures of this quarter so far, unsuppressed (aggregates only), with a link to the dashboard."""
    if user.role != Role.PROJECT_LEADER:
        return []
    today = timezone.localdate()
    period = Period(Period.quarter(today.year, (today.month - 1) // 3 + 1).start, today)
    figures = all_figures(period)
    return [
        Panel(
            title=_("Figures this quarter"),
            empty=_("No figures yet for this quarter."),
            items=[
                Item(text=_("New signals: %(count)s") % {"count": figures["signals"]["new"]}),
                Item(
                    text=_("Residents visited by the brigade: %(count)s")
                    % {"count": figures["brigade"]["residents_visited"]}
                ),
                Item(text=_("Walk-in visits: %(count)s") % {"count": figures["zelfregie"]["visitors"]}),
            ],
            more_url=reverse("reports:dashboard"),
        )
    ]
