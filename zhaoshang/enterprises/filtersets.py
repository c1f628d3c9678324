"""Which rows: the filters of the enterprise and contact ledgers."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter
from zhaoshang.enterprises.choices import EnterpriseTag, IndustrySection
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.enterprises.normalize import normalize_name
from zhaoshang.enterprises.privacy import can_see_full_phone

# The widget styling moved to core's BaseFilterSet, where every app gets it.
StyledFilterSet = BaseFilterSet


class EnterpriseFilterSet(StyledFilterSet):
    """`q` matches a fragment of the name or a former name, simplified or traditional, or
    the credit code; `tag` keeps the enterprises carrying that tag."""

    search_fields = ("name", "former_names", "credit_code")

    within = UnitSubtreeFilter(path_lookup="unit__path")
    industry = django_filters.ChoiceFilter(choices=IndustrySection.choices, label=_("industry"))
    tag = django_filters.ChoiceFilter(
        choices=EnterpriseTag.choices, label=_("tag"), method="filter_tag"
    )
    capital_min = django_filters.NumberFilter(
        field_name="registered_capital",
        lookup_expr="gte",
        label=_("registered capital from (10k yuan)"),
    )
    capital_max = django_filters.NumberFilter(
        field_name="registered_capital",
        lookup_expr="lte",
        label=_("registered capital to (10k yuan)"),
    )

    class Meta:
        model = Enterprise
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        normalized = normalize_name(value)
        if normalized:
            q |= Q(normalized_name__contains=normalized)
            q |= Q(normalized_former_names__contains=normalized)
        code = value.replace(" ", "").upper()
        if code:
            q |= Q(credit_code__contains=code)
        return queryset.filter(q)

    def filter_tag(self, queryset, name, value):
        if value in EnterpriseTag.values:
            return queryset.filter(**{value: True})
        return queryset


class ContactFilterSet(StyledFilterSet):
    search_fields = ("name", "title", "email", "enterprise__name")

    within = UnitSubtreeFilter(path_lookup="enterprise__unit__path")

    class Meta:
        model = Contact
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        normalized = normalize_name(value)
        if normalized:
            q |= Q(enterprise__normalized_name__contains=normalized)
        # Searching by phone would reveal masked numbers: only for those who see them.
        if self.request is not None and can_see_full_phone(self.request.user):
            q |= Q(phone__contains=value)
        return queryset.filter(q)
