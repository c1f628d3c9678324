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
    Target,
)


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("counting rule"))
    certified_only = django_filters.BooleanFilter(label=_("certified projects only"))

    class Meta:
        model = Indicator
        fields = ["q", "source", "certified_only"]


YEARS = (1900, 2100)


def _indicators(request):
    if request is None:
        return Indicator.objects.none()
    return Indicator.objects.visible_to(request.user)


def _reported_indicators(request):
    return _indicators(request).filter(source=Source.REPORTED)


class TargetFilterSet(BaseFilterSet):
    """Targets by indicator, year and unit subtree (the API's; the grid has its pickers)."""

    search_fields = ("unit__name", "indicator__name")
    indicator = django_filters.ModelChoiceFilter(queryset=_indicators, label=_("indicator"))
    year = django_filters.NumberFilter(min_value=YEARS[0], max_value=YEARS[1], label=_("year"))
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = Target
        fields = ["q", "indicator", "year", "within"]


class ReportedValueFilterSet(TargetFilterSet):
    indicator = django_filters.ModelChoiceFilter(
        queryset=_reported_indicators, label=_("indicator")
    )
    month = django_filters.NumberFilter(min_value=1, max_value=12, label=_("month"))

    class Meta:
        model = ReportedValue
        fields = ["q", "indicator", "year", "month", "within"]


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
