import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import District, Neighbourhood, User
from meedoen.core.forms import PlainModelChoiceField
from signalering.models import ConcernCategory, Signal
from signalering.selectors import member_districts, overdue_q
from signalering.workflow import Status


class ChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PlainModelChoiceField


# Beyond this many districts (administrators see all) the neighbourhood and lead lists wait for a chosen district.
MANY_DISTRICTS = 10


class SignalFilter(django_filters.FilterSet):
    """Filters of the signal list; they live in the URL, so a filtered list can be bookmarked and shared."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = ChoiceFilter(label=_("District"), queryset=District.objects.none())
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = ChoiceFilter(label=_("Concern"), queryset=ConcernCategory.objects.all())
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Signal.Urgency.choices)
    neighbourhood = ChoiceFilter(label=_("Neighbourhood"), queryset=Neighbourhood.objects.none())
    lead = ChoiceFilter(label=_("Lead professional"), queryset=User.objects.none())
    overdue = django_filters.BooleanFilter(label=_("Only overdue"), method="filter_overdue", widget=forms.CheckboxInput)
    reported_from = django_filters.DateFilter(
        label=_("Reported from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reported_to = django_filters.DateFilter(
        label=_("Reported up to"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("created_at", "created"), ("urgency", "urgency"), ("next_step_due", "due"), ("status", "status")),
        field_labels={
            "created": _("reported"),
            "urgency": _("urgency"),
            "due": _("next step due"),
            "status": _("status"),
        },
        empty_label=_("newest first"),
    )

    class Meta:
        model = Signal
        fields = ["q", "district", "status", "categories", "urgency", "neighbourhood", "lead", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = member_districts(user).order_by("name")
        self.filters["district"].queryset = districts
        scope = districts
        chosen = str(self.data.get("district", "")) if self.data else ""
        self.few_districts = True  # within reach of the list: one chosen district, or the user's few
        if chosen.isascii() and chosen.isdigit():  # an id the user may not choose narrows to nothing
            scope = districts.filter(pk=int(chosen))
        elif districts.count() > MANY_DISTRICTS:
            self.few_districts = False
            scope = districts.none()
            for name in ("neighbourhood", "lead"):
                self.filters[name].extra["help_text"] = _("Choose a district first.")
        self.filters["neighbourhood"].queryset = Neighbourhood.objects.filter(district__in=scope).order_by("name")
        self.filters["lead"].queryset = (
            User.objects.filter(memberships__district__in=scope).distinct().order_by("first_name", "last_name")
        )

    def search(self, queryset, name, value):
        """Text search in the description and the signal number, within the user's own districts only."""
        value = value.strip()
        number = value.upper().removeprefix("S-")
        if number != value.upper() and number.isascii() and number.isdigit():
            return queryset.filter(pk=int(number))  # a signal's number ("S-00042"): that signal, found by its key
        query = Q(description__icontains=value)
        if number.isascii() and number.isdigit():
            query |= Q(pk=int(number))
        if value.upper().startswith("B-"):
            query |= Q(resident__pseudonym__iexact=value)
        return queryset.filter(query)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.localdate())) if value else queryset
