"""List exports as CSV: exactly the rows the user may see in the list, streamed in constant memory, each one logged.

Every export goes through the list's own selector (and, for signals, the list's own filter), so it can never hold
more than the screen shows. The file is made for Dutch Excel: UTF-8 with a byte-order mark (or Excel guesses the
wrong encoding), semicolons (Dutch Excel's list separator, since the comma is the decimal sign) and CRLF line ends.

Logging: one summary row ("export of the signal list") is written before the response starts, and then one row per
exported object (with its resident) per batch, *before* that batch is sent. The summary row makes a broken access
log fail the request cleanly (the usual "access log unavailable" page) instead of mid-download; the per-object rows
are what a resident's access overview (NEN 7513) needs, and writing them ahead of each batch means no row leaves the
server unlogged. If a batch cannot be logged the stream stops with an error, so the download fails visibly.
"""

import csv
import datetime
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import islice
from types import SimpleNamespace

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brigade.models import VisitRequest
from brigade.selectors import COORDINATION_ROLES, REQUESTING_ROLES, visible_requests
from brigade.workflow import Referral, RequestStatus
from meedoen.accounts.access import roles
from meedoen.accounts.models import District, Neighbourhood, User
from meedoen.accounts.two_factor import recent_authentication
from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.models import AccessAction, Resident
from signalering.filters import SignalFilter
from signalering.models import Signal
from signalering.selectors import SIGNAL_ROLES, visible_actions, visible_signals
from signalering.workflow import Outcome, Status

BATCH = 5000  # rows per database fetch, per access-log statement and per chunk sent
DELIMITER = ";"
BOM = "\ufeff"
# A cell starting with one of these is taken for a formula by spreadsheets (CSV injection); a quote makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_START)


def safe_cell(value) -> str:
    """The value as text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_FIRST else text


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):  # the day it was in the Netherlands
        value = value.astimezone(_site_zone()).date()
    return value.isoformat()


@cache
def _site_zone():
    # Looked up once: timezone.localdate() asks for the active zone anew for every one of a million cells.
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class _Echo:
    """A file-like object that hands back what the csv writer writes, so each row becomes a string to send."""

    def write(self, value: str) -> str:
        return value


def csv_rows(
    header: list[str],
    objects: Iterable,
    row: Callable[[dict], list],
    log_batch: Callable[[list], None],
    prepare: Callable[[list], None] | None = None,
) -> Iterator[str]:
    """The CSV text in chunks of BATCH rows; each batch is logged before it is sent.

    `prepare` may add to a batch's rows what is read apart for the whole batch (names of related rows)."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM + writer.writerow([safe_cell(cell) for cell in header])
    objects = iter(objects)
    while batch := list(islice(objects, BATCH)):
        if prepare:
            prepare(batch)
        log_batch(batch)
        yield "".join(writer.writerow([safe_cell(cell) for cell in row(obj)]) for obj in batch)


def _response(request, *, name: str, list_type: str, object_type: str, header: list[str], rows, row, prepare=None):
    """Stream `rows` (dicts with at least "pk" and "resident_id") as CSV, logging each one as exported."""
    log_access(user=request.user, action=AccessAction.EXPORT, object_type=list_type, request=request)

    def log_batch(batch: list[dict]) -> None:
        log_access_many(
            user=request.user,
            action=AccessAction.EXPORT,
            object_type=object_type,
            objects=[(item["pk"], item["resident_id"]) for item in batch],
            request=request,
        )

    response = StreamingHttpResponse(
        csv_rows(header, rows.iterator(chunk_size=BATCH), row, log_batch, prepare),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{name}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: no copies in caches along the way
    return response


def _number(model, pk: int) -> str:
    """The model's own number ("S-00042"), without building an instance (whose defaults would run per row)."""
    return model.number.fget(SimpleNamespace(pk=pk))


def _labels(choices) -> dict:
    """Choice labels translated once per export, not once per row."""
    return {value: str(label) for value, label in choices}


def _person(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """A professional as `User.__str__` shows them: full name, else username."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


class _Names:
    """Names of related rows by id, read for the ids of each batch that are not known yet (a few hundred districts
    and leads are read once for a million signals, instead of being joined to every row)."""

    def __init__(self, queryset, *fields: str, show=None):
        self.queryset, self.fields, self.show, self.known = queryset, fields, show, {None: ""}

    def add(self, ids: set) -> None:
        missing = ids - self.known.keys()
        for pk, *values in self.queryset.filter(pk__in=missing).values_list("pk", *self.fields):
            self.known[pk] = self.show(*values) if self.show else values[0]

    def __getitem__(self, pk) -> str:
        return self.known.get(pk, "")


def _among(ids) -> RawSQL:
    """The ids of a batch as one array parameter: Django prepares every member of an IN list on its own, which
    costs more than the query for 5,000 ids."""
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def _concerns(signal_ids: list[int]) -> dict[int, str]:
    """Each signal's concerns in the order the list shows them, as one text."""
    names = StringAgg(
        "concerncategory__name", delimiter=", ", order_by=("concerncategory__position", "concerncategory__name")
    )
    through = Signal.categories.through.objects.filter(signal_id__in=_among(signal_ids))
    return dict(through.values("signal_id").annotate(names=names).values_list("signal_id", "names").order_by())


@require_GET
@roles(SIGNAL_ROLES)
@recent_authentication
def export_signals(request):
    """The signal list with the current filters, exactly as `signalering.views.signal_list` selects it."""
    signals = visible_signals(request.user)
    filterset = SignalFilter(request.GET or None, queryset=signals, user=request.user)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else signals
    if not request.GET.get("order"):
        queryset = queryset.order_by("-created_at")
    # Plain values, not model instances: a million rows stay fast, and the resident is never loaded (its
    # identifying fields would be decrypted for nothing). What other tables hold is read per batch, not joined.
    rows = queryset.values(
        "pk",
        "resident_id",
        "created_at",
        "urgency",
        "status",
        "outcome",
        "next_step",
        "next_step_due",
        "district_id",
        "neighbourhood_id",
        "lead_id",
    )
    districts = _Names(District.objects, "name")
    neighbourhoods = _Names(Neighbourhood.objects, "name")
    leads = _Names(User.objects, "first_name", "last_name", "username", show=_person)

    def prepare(batch: list[dict]) -> None:
        districts.add({signal["district_id"] for signal in batch})
        neighbourhoods.add({signal["neighbourhood_id"] for signal in batch})
        leads.add({signal["lead_id"] for signal in batch})
        ids = [signal["pk"] for signal in batch]
        concerns = _concerns(ids)
        residents = {signal["resident_id"] for signal in batch}
        pseudonyms = dict(Resident.objects.filter(pk__in=_among(residents - {None})).values_list("pk", "pseudonym"))
        for signal in batch:
            signal["concerns"] = concerns.get(signal["pk"], "")
            signal["pseudonym"] = pseudonyms.get(signal["resident_id"], "")

    urgency, status, outcome = (_labels(Signal.Urgency.choices), _labels(Status.choices), _labels(Outcome.choices))
    header = [
        _("Signal"),
        _("Reported"),
        _("District"),
        _("Neighbourhood"),
        _("Concerns"),
        _("Urgency"),
        _("Status"),
        _("Outcome"),
        _("Lead"),
        _("Next step"),
        _("Due"),
        _("Pseudonym"),
    ]

    def row(signal: dict) -> list:
        return [
            _number(Signal, signal["pk"]),
            _date(signal["created_at"]),
            districts[signal["district_id"]],
            neighbourhoods[signal["neighbourhood_id"]],
            signal["concerns"],
            urgency.get(signal["urgency"], signal["urgency"]),
            status.get(signal["status"], signal["status"]),
            outcome.get(signal["outcome"], ""),
            leads[signal["lead_id"]],
            signal["next_step"],
            _date(signal["next_step_due"]),
            signal["pseudonym"],
        ]

    return _response(
        request,
        name=_("signals"),
        list_type="signal_list",
        object_type="signal",
        header=header,
        rows=rows,
        row=row,
        prepare=prepare,
    )


@require_GET
@roles(SIGNAL_ROLES)
@recent_authentication
def export_actions(request):
    """My open actions, as `signalering.views.my_actions` lists them."""
    rows = (
        visible_actions(request.user)
        .filter(owner=request.user, done_at__isnull=True)
        .order_by("due", "pk")
        .annotate(resident_id=F("signal__resident_id"), district_name=F("signal__district__name"))
        .values("pk", "resident_id", "description", "signal_id", "district_name", "due")
    )
    today = timezone.localdate()
    yes, no = _("yes"), _("no")
    header = [_("Action"), _("Signal"), _("District"), _("Due"), _("overdue")]

    def row(action: dict) -> list:
        return [
            action["description"],
            _number(Signal, action["signal_id"]),
            action["district_name"],
            _date(action["due"]),
            yes if action["due"] < today else no,  # open actions only: Action.is_overdue
        ]

    return _response(
        request, name=_("actions"), list_type="action_list", object_type="action", header=header, rows=rows, row=row
    )


@require_GET
@roles(COORDINATION_ROLES | REQUESTING_ROLES)
@recent_authentication
def export_requests(request):
    """The visit requests the user may see, as `brigade.views.request_list` lists them."""
    rows = (
        visible_requests(request.user)
        .order_by("-created_at")
        .annotate(district_name=F("district__name"), pseudonym=F("resident__pseudonym"))
        .values("pk", "resident_id", "created_at", "status", "referral", "district_name", "pseudonym")
    )
    status, referral = _labels(RequestStatus.choices), _labels(Referral.choices)
    header = [_("Request"), _("Requested"), _("District"), _("Status"), _("Outcome and referral"), _("Pseudonym")]

    def row(visit: dict) -> list:
        return [
            _number(VisitRequest, visit["pk"]),
            _date(visit["created_at"]),
            visit["district_name"],
            status.get(visit["status"], visit["status"]),
            referral.get(visit["referral"], ""),
            visit["pseudonym"],
        ]

    return _response(
        request,
        name=_("visit-requests"),
        list_type="visit_request_list",
        object_type="visit_request",
        header=header,
        rows=rows,
        row=row,
    )
