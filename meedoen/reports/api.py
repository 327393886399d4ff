"""The statistics API (read-only) for the municipality's BI tools: suppressed figures per quarter, district and pillar.

Every figure comes from `figures.py` and leaves through `public_figures()`: the API computes nothing of its own. The
serializers below only describe that output for the OpenAPI schema (with the plain-language DEFINITIONS) and pass the
values through unchanged.

Access: the URL-level rule is `public` (see api_urls.py), because a BI tool has no session for the middleware to see;
authentication (a token, or the browser session for the docs page) and `IsStatisticsUser` decide here.
"""

import datetime

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from brigade.models import VisitRequest
from meedoen.accounts.models import District, Role
from meedoen.reports.figures import DEFINITIONS, PILLARS, SUPPRESSED, Period, public_figures
from signalering.models import Signal
from zelfregie.models import Occurrence, Session

API_ROLES = frozenset({Role.MUNICIPALITY, Role.PROJECT_LEADER, Role.ADMIN})
# Who may be given a token: the municipality's BI accounts and administrators (see the api_token command).
TOKEN_ROLES = frozenset({Role.MUNICIPALITY, Role.ADMIN})

FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- access ----------------------------------------------------------------------------------------------------


class IsStatisticsUser(BasePermission):
    """Active users whose role may read aggregates: the municipality, the project leader and administrators."""

    message = _("Only the municipality, the project leader and administrators may use the statistics API.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.role in API_ROLES)


class StatisticsRateThrottle(UserRateThrottle):
    scope = "statistics"


class StatisticsAPIView(APIView):
    """Read-only: GET (and HEAD/OPTIONS) only; token or session; the statistics roles; throttled per user."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsStatisticsUser]
    throttle_classes = [StatisticsRateThrottle]
    http_method_names = ["get", "head", "options"]


REFUSALS = {
    401: OpenApiResponse(description=_("No token, or an unknown token.")),
    403: OpenApiResponse(description=_("The account's role may not use the statistics API.")),
    429: OpenApiResponse(description=_("Too many requests: wait the number of seconds in Retry-After.")),
}


# --- figures: the shape of suppressed(all_figures(...)) -------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SUPPRESSED]}],
        "description": _('A count; from 1 to 4 it is shown as "<5".'),
    }
)
class CountField(serializers.Field):
    """A suppressed count: a whole number, or "<5"; passed through unchanged."""

    def to_representation(self, value):
        return value


def _count(key: str) -> CountField:
    return CountField(help_text=DEFINITIONS[key])


class NamedCountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Stable code, for use in BI tools."))
    name = serializers.CharField(help_text=_("Name in the language of the request."))
    count = CountField()


class CategoryCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = CountField()


class WeeklyVisitorsSerializer(serializers.Serializer):
    week = serializers.CharField(help_text=_("ISO week, e.g. 2026-W10."))
    place = serializers.CharField(help_text=_("Meeting place."))
    visitors = CountField()


class SignalFiguresSerializer(serializers.Serializer):
    new = _count("signals.new")
    closed = _count("signals.closed")
    by_category = CategoryCountSerializer(many=True, help_text=DEFINITIONS["signals.by_category"])
    by_outcome = NamedCountSerializer(many=True, help_text=DEFINITIONS["signals.by_outcome"])
    first_discussions = _count("signals.first_discussions")
    median_working_days_to_first_discussion = serializers.FloatField(
        allow_null=True, help_text=DEFINITIONS["signals.median_working_days_to_first_discussion"]
    )
    share_overdue = serializers.IntegerField(allow_null=True, help_text=DEFINITIONS["signals.share_overdue"])


class BrigadeFiguresSerializer(serializers.Serializer):
    requests = _count("brigade.requests")
    residents_visited = _count("brigade.residents_visited")
    referred_on = _count("brigade.referred_on")
    by_referral = NamedCountSerializer(many=True, help_text=DEFINITIONS["brigade.by_referral"])
    first_contacts = _count("brigade.first_contacts")
    median_days_to_first_contact = serializers.FloatField(
        allow_null=True, help_text=DEFINITIONS["brigade.median_days_to_first_contact"]
    )


class ZelfregieFiguresSerializer(serializers.Serializer):
    visitors = _count("zelfregie.visitors")
    new_visitors = _count("zelfregie.new_visitors")
    visitors_per_week = WeeklyVisitorsSerializer(many=True, help_text=DEFINITIONS["zelfregie.visitors_per_week"])
    activities = _count("zelfregie.activities")
    attendance = _count("zelfregie.attendance")


class PathFiguresSerializer(serializers.Serializer):
    signals_to_brigade = _count("path.signals_to_brigade")
    visits_to_referral = _count("path.visits_to_referral")
    referrals_arrived = _count("path.referrals_arrived")


class PillarsSerializer(serializers.Serializer):
    """One object per pillar; with `?pillar=` only that one."""

    signals = SignalFiguresSerializer(required=False, help_text=_("Signaleringsoverleg."))
    brigade = BrigadeFiguresSerializer(required=False, help_text=_("Vliegende Brigade."))
    zelfregie = ZelfregieFiguresSerializer(required=False, help_text=_("Zelfregiecentrum."))
    path = PathFiguresSerializer(required=False, help_text=_("The path across the pillars."))


class DistrictSerializer(serializers.Serializer):
    cbs_code = serializers.CharField(help_text=_("CBS code of the district, e.g. WK054601."))
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    start = serializers.DateField(help_text=_("First day of the quarter."))
    end = serializers.DateField(help_text=_("Last day of the quarter."))
    district = DistrictSerializer(allow_null=True, help_text=_("The district, or null for the whole city."))
    figures = PillarsSerializer()


class FiguresQuerySerializer(serializers.Serializer):
    """The query parameters of /api/v1/figures/, with clear messages for wrong values."""

    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Year, e.g. 2026."),
        error_messages={
            "required": _("Give the year, e.g. year=2026."),
            "invalid": _("The year must be a whole number, e.g. 2026."),
            "min_value": _("The year must lie between 2000 and 2100."),
            "max_value": _("The year must lie between 2000 and 2100."),
            "max_string_length": _("The year must lie between 2000 and 2100."),
        },
    )
    quarter = serializers.IntegerField(
        min_value=1,
        max_value=4,
        help_text=_("Quarter: 1, 2, 3 or 4."),
        error_messages={
            "required": _("Give the quarter (1 to 4), e.g. quarter=3."),
            "invalid": _("The quarter must be 1, 2, 3 or 4."),
            "min_value": _("The quarter must be 1, 2, 3 or 4."),
            "max_value": _("The quarter must be 1, 2, 3 or 4."),
            "max_string_length": _("The quarter must be 1, 2, 3 or 4."),
        },
    )
    district = serializers.CharField(
        required=False,
        max_length=10,
        help_text=_("CBS code of a district (see /api/v1/districts/); leave out for the whole city."),
        error_messages={
            "blank": _("Give a CBS district code, e.g. WK054601, or leave out district= for the whole city."),
            "max_length": _("Unknown district. The CBS codes are listed at /api/v1/districts/."),
        },
    )
    pillar = serializers.ChoiceField(
        choices=list(PILLARS),
        required=False,
        help_text=_("Only the figures of this pillar; leave out for all pillars."),
        error_messages={"invalid_choice": _('Unknown pillar "{input}". Choose signals, brigade, zelfregie or path.')},
    )

    def validate_district(self, code: str) -> District:
        district = District.objects.filter(cbs_code__iexact=code.strip()).first()
        if district is None:
            raise serializers.ValidationError(
                _('Unknown district "%(code)s". The CBS codes are listed at /api/v1/districts/.') % {"code": code}
            )
        return district


# Parameters that are not figures parameters but are fine to send: DRF's format override.
IGNORED_PARAMETERS = {"format"}


def _parameters(request, serializer_class) -> dict:
    """The validated query parameters; unknown ones are refused, so that a typo never widens the answer."""
    allowed = set(serializer_class().fields)
    unknown = sorted(set(request.query_params) - allowed - IGNORED_PARAMETERS)
    if unknown:
        message = _("Unknown parameter. Allowed: %(allowed)s.") % {"allowed": ", ".join(serializer_class().fields)}
        raise serializers.ValidationError({name: [message] for name in unknown})
    # A plain dict, not the QueryDict: DRF would read `district=` (blank) from a QueryDict as "left out", which
    # widens the answer to the whole city without a word.
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


ERRORS_400 = OpenApiResponse(
    response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description=_("A parameter is missing or wrong: per parameter, what is wrong (in the language of the request)."),
)


class FiguresView(StatisticsAPIView):
    @extend_schema(
        operation_id="figures",
        summary=_("Figures of a quarter"),
        description=_(
            "The figures of one quarter for the whole city or one district, per pillar. No personal data: counts "
            'from 1 to 4 are shown as "<5", and in a group with a total one more count is hidden where a single '
            "hidden count could be worked out."
        ),
        parameters=[FiguresQuerySerializer],
        responses={200: FiguresSerializer, 400: ERRORS_400, **REFUSALS},
    )
    def get(self, request):
        params = _parameters(request, FiguresQuerySerializer)
        period = Period.quarter(params["year"], params["quarter"])
        district = params.get("district")
        pillar = params.get("pillar")
        figures = public_figures(period, district, [pillar] if pillar else None)
        payload = {
            "year": params["year"],
            "quarter": params["quarter"],
            "start": period.start,
            "end": period.end,
            "district": district,
            "figures": figures,
        }
        return Response(FiguresSerializer(payload).data)


class DistrictsView(StatisticsAPIView):
    @extend_schema(
        operation_id="districts",
        summary=_("Districts"),
        description=_("The districts with their CBS codes, for the district= parameter of the figures."),
        responses={200: DistrictSerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        return Response(DistrictSerializer(District.objects.order_by("cbs_code"), many=True).data)


class QuarterSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    complete = serializers.BooleanField(help_text=_("False for the current quarter: its figures still change."))


def _first_day_with_data() -> datetime.date | None:
    """The earliest day on which any pillar recorded something; each query reads one end of an index."""
    firsts = [
        Signal.objects.aggregate(first=Min("created_at"))["first"],
        VisitRequest.objects.aggregate(first=Min("created_at"))["first"],
        Session.objects.filter(visitors__gt=0).aggregate(first=Min("date"))["first"],
        Occurrence.objects.filter(attendance__isnull=False).aggregate(first=Min("date"))["first"],
    ]
    days = [timezone.localdate(day) if isinstance(day, datetime.datetime) else day for day in firsts if day]
    return min(days, default=None)


def quarters_with_data(today: datetime.date) -> list[dict]:
    """The quarters from the first with recorded activity up to and including the current one, newest first."""
    first = _first_day_with_data()
    if first is None or first > today:
        return []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    first_quarter = (first.year, (first.month - 1) // 3 + 1)
    result = []
    while (year, quarter) >= first_quarter:
        period = Period.quarter(year, quarter)
        result.append(
            {"year": year, "quarter": quarter, "start": period.start, "end": period.end, "complete": period.end < today}
        )
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return result


class QuartersView(StatisticsAPIView):
    @extend_schema(
        operation_id="quarters",
        summary=_("Quarters with data"),
        description=_(
            "The quarters from the first one in which anything was recorded up to the current one, newest first."
        ),
        responses={200: QuarterSerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        return Response(QuarterSerializer(quarters_with_data(timezone.localdate()), many=True).data)


class IndexView(StatisticsAPIView):
    @extend_schema(
        operation_id="index",
        summary=_("Contents of the statistics API"),
        description=_("Links to the endpoints, the OpenAPI schema and the documentation page."),
        tags=["index"],
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}, **REFUSALS},
    )
    def get(self, request):
        names = ["figures", "districts", "quarters", "schema", "docs"]
        return Response({name: reverse(f"api:{name}", request=request) for name in names})


# --- schema and docs --------------------------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, for the same users as the API itself (a BI tool fetches it with its token)."""

    authentication_classes = StatisticsAPIView.authentication_classes
    permission_classes = StatisticsAPIView.permission_classes
    throttle_classes = StatisticsAPIView.throttle_classes


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar (served from our static files): no inline script or style, so it runs
    under the site's CSP. Redoc was not chosen: it injects <style> elements at run time, which `style-src 'self'`
    blocks."""

    authentication_classes = [SessionAuthentication]
    permission_classes = StatisticsAPIView.permission_classes
    throttle_classes = StatisticsAPIView.throttle_classes
    template_name = "reports/api_docs.html"
    url_name = "api:schema"
