"""Which rows: one FilterSet per model, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter
from zhaoshang.organization.choices import Role, UnitKind
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User


class UnitFilterSet(BaseFilterSet):
    search_fields = ("name", "code")
    within = UnitSubtreeFilter(path_lookup="path")
    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices, label=_("kind"))

    class Meta:
        model = Unit
        fields = ["kind", "peer_group", "unit_class", "is_active"]


class PeerGroupFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = PeerGroup
        fields = []


class UnitClassFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = UnitClass
        fields = []


class UserFilterSet(BaseFilterSet):
    search_fields = ("username", "full_name", "phone", "email")
    within = UnitSubtreeFilter(path_lookup="unit__path")
    role = django_filters.ChoiceFilter(
        choices=Role.choices, field_name="groups__name", label=_("role")
    )

    class Meta:
        model = User
        fields = ["is_active"]
