import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.privacy.models import AccessAction, AccessLog, AccessResult


class AccessLogFilter(django_filters.FilterSet):
    """The privacy officer's search: by user, resident (pseudonym), period, action and result."""

    username = django_filters.CharFilter(label=_("User"), lookup_expr="iexact")
    pseudonym = django_filters.CharFilter(
        label=_("Resident (pseudonym)"), field_name="resident__pseudonym", lookup_expr="iexact"
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Up to and including"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AccessAction.choices)
    result = django_filters.ChoiceFilter(label=_("Result"), choices=AccessResult.choices)

    class Meta:
        model = AccessLog
        fields = ["username", "pseudonym", "date_from", "date_to", "action", "result"]
