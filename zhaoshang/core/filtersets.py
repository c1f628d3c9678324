"""Base FilterSet: free-text search and a unit-subtree filter shared by pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import subtree_q, units_for


class BaseFilterSet(django_filters.FilterSet):
    """Declare `search_fields` on a subclass; `q` matches any fragment of any of them."""

    search_fields = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """Filter by a unit and everything below it; the choices are the units the user sees."""

    def __init__(self, *args, path_lookup, **kwargs):
        self.path_lookup = path_lookup
        kwargs.setdefault("label", _("Unit (with subunits)"))
        kwargs.setdefault("queryset", self._units)
        super().__init__(*args, **kwargs)

    def _units(self, request):
        from zhaoshang.organization.models import Unit

        if request is None:
            return Unit.objects.none()
        return units_for(request.user, Unit, "view")

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(subtree_q(self.path_lookup, value.path))
