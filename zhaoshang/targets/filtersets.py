"""Which rows: the indicator ledger's filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import BaseFilterSet
from zhaoshang.targets.models import Indicator, Source


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("counting rule"))
    certified_only = django_filters.BooleanFilter(label=_("certified projects only"))

    class Meta:
        model = Indicator
        fields = ["q", "source", "certified_only"]
