"""Which rows: the filters of the parcel, building, park and tenant ledgers."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.carriers.choices import LandUse, ParcelStatus
from zhaoshang.carriers.models import Building, BuildingTenant, LandParcel, Park
from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter


class ParkFilterSet(BaseFilterSet):
    search_fields = ("name", "description")
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = Park
        fields = []


class LandParcelFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "location")
    land_use = django_filters.ChoiceFilter(choices=LandUse.choices, label=_("land use"))
    status = django_filters.ChoiceFilter(choices=ParcelStatus.choices, label=_("status"))
    sold_from = django_filters.DateFilter(
        field_name="sold_date",
        lookup_expr="gte",
        label=_("sold from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sold_to = django_filters.DateFilter(
        field_name="sold_date",
        lookup_expr="lte",
        label=_("sold until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = LandParcel
        fields = []


class BuildingFilterSet(BaseFilterSet):
    search_fields = ("name", "address")
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = Building
        fields = []


class BuildingTenantFilterSet(BaseFilterSet):
    search_fields = ("building__name", "enterprise__name")
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = BuildingTenant
        fields = []
