"""Which activities: the filters of the activity ledger."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityFilterSet(BaseFilterSet):
    search_fields = ("title", "place", "participants", "outcome")
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))
    date_from = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label=_("start date from"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("start date to"), widget=DATE
    )
    city = django_filters.CharFilter(lookup_expr="icontains", label=_("city"))
    within = UnitSubtreeFilter(path_lookup="unit__path")
    leader = django_filters.CharFilter(method="by_leader", label=_("leading person"))

    class Meta:
        model = Activity
        fields = []

    def by_leader(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(leader_name__icontains=value)
            | Q(leader__full_name__icontains=value)
            | Q(leader__username__icontains=value)
        )
