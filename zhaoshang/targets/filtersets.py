"""Which rows: the indicator ledger's filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter
from zhaoshang.targets.models import (
    BonusItem,
    CapitalIncrease,
    Certification,
    Indicator,
    IndicatorWeight,
    ReportedValue,
    Source,
)


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("counting rule"))
    certified_only = django_filters.BooleanFilter(label=_("certified projects only"))

    class Meta:
        model = Indicator
        fields = ["q", "source", "certified_only"]


class ReportedValueFilterSet(BaseFilterSet):
    search_fields = ("unit__name", "indicator__name")
    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.filter(source=Source.REPORTED), label=_("indicator")
    )
    year = django_filters.NumberFilter(label=_("year"))
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = ReportedValue
        fields = ["q", "indicator", "year", "within"]


class CertificationFilterSet(BaseFilterSet):
    search_fields = ("project__name", "project__code", "indicator__name")
    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.filter(certified_only=True), label=_("indicator")
    )
    in_force = django_filters.BooleanFilter(
        field_name="withdrawn_on", lookup_expr="isnull", label=_("in force")
    )
    within = UnitSubtreeFilter(path_lookup="project__responsible_unit__path")

    class Meta:
        model = Certification
        fields = ["q", "indicator", "in_force", "within"]


class CapitalIncreaseFilterSet(BaseFilterSet):
    search_fields = ("project__name", "project__code", "note")
    within = UnitSubtreeFilter(path_lookup="project__responsible_unit__path")

    class Meta:
        model = CapitalIncrease
        fields = ["q", "within"]


class IndicatorWeightFilterSet(BaseFilterSet):
    search_fields = ("unit_class__name", "indicator__name")

    class Meta:
        model = IndicatorWeight
        fields = ["q", "unit_class", "indicator"]


class BonusItemFilterSet(BaseFilterSet):
    search_fields = ("unit__name", "reason")
    year = django_filters.NumberFilter(label=_("year"))
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = BonusItem
        fields = ["q", "year", "within"]
