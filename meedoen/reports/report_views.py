"""The municipality's quarterly reports: choose a quarter, watch it being made, download it; the archive."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meedoen.accounts.access import roles
from meedoen.accounts.models import Role
from meedoen.reports import reporting
from meedoen.reports.figures import Period
from meedoen.reports.models import FORMATS, QuarterlyReport

REPORT_ROLES = {Role.MUNICIPALITY, Role.PROJECT_LEADER, Role.ADMIN}
PAGE_SIZE = 20
YEARS = 6  # how far back the form offers years


class QuarterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), coerce=int, choices=QuarterlyReport.QUARTERS)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        year, quarter = Period.last_quarter(today)
        self.fields["year"].choices = [(y, str(y)) for y in range(year, year - YEARS, -1)]
        self.initial = {"year": year, "quarter": quarter, **self.initial}


def _get_report_for_user(request, pk: int) -> QuarterlyReport:
    """Reports hold figures only, no personal data: every user with a reporting role may see every report."""
    return get_object_or_404(reporting.report_archive(), pk=pk)


@roles(REPORT_ROLES)
def quarterly(request):
    """Choose a quarter and generate its report (POST), above the archive of earlier reports."""
    form = QuarterForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            report, created = reporting.report_request(
                year=form.cleaned_data["year"], quarter=form.cleaned_data["quarter"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = {"quarter": str(report)}
            if created:
                messages.success(request, _("The report of %(quarter)s is being made.") % name)
            elif report.status == QuarterlyReport.Status.DONE:
                messages.info(request, _("The report of %(quarter)s was made before; here it is.") % name)
            else:
                messages.info(request, _("The report of %(quarter)s is being made.") % name)
            return redirect("reports:quarterly_detail", pk=report.pk)
    page = Paginator(reporting.report_archive(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/quarterly.html", {"form": form, "page": page}, status=400 if form.errors else 200)


@roles(REPORT_ROLES)
@require_GET
def quarterly_detail(request, pk: int):
    report = _get_report_for_user(request, pk)
    return render(request, "reports/quarterly_detail.html", _state(report))


@roles(REPORT_ROLES)
@require_GET
@never_cache
def quarterly_progress(request, pk: int):
    """The progress fragment that the detail page polls (htmx) until the report is done or failed."""
    report = _get_report_for_user(request, pk)
    return render(request, "reports/quarterly_progress.html", _state(report))


def _state(report: QuarterlyReport) -> dict:
    period = Period.quarter(report.year, report.quarter)
    return {"report": report, "period": period.label(), "formats": list(FORMATS)}


@roles(REPORT_ROLES)
@require_GET
def quarterly_download(request, pk: int, fmt: str):
    row = (
        QuarterlyReport.objects.filter(pk=pk, status=QuarterlyReport.Status.DONE)
        .values_list("year", "quarter", fmt)
        .first()
    )
    if row is None:
        raise Http404
    year, quarter, content = row
    response = HttpResponse(bytes(content), content_type=FORMATS[fmt])
    name = QuarterlyReport(year=year, quarter=quarter).file_name(fmt)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
