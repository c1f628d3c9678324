"""Base FilterSet: free-text search and a unit-subtree filter shared by pages and the API."""

import django_filters
from django import forms
from django.db.models import Min, Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import textsearch
from zhaoshang.core.scope import subtree_q, units_for


class BaseFilterSet(django_filters.FilterSet):
    """Declare `search_fields` on a subclass; `q` matches any fragment of any of them."""

    search_fields = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):  # and check-box lists: styled per option
                continue
            if isinstance(widget, forms.NullBooleanSelect):
                # In a filter, "unknown" means "do not filter".
                widget.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]
            if isinstance(widget, forms.SelectMultiple):
                widget.attrs.update({"class": "form-select", "size": 3})
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")
        for filter_ in self.filters.values():
            # A choice among a field of the row itself cannot duplicate rows: no DISTINCT,
            # which on a wide table costs more than the whole rest of the query.
            if isinstance(filter_, django_filters.MultipleChoiceFilter) and "__" not in (
                filter_.field_name or ""
            ):
                filter_.distinct = False

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(textsearch.search_q(queryset.model, self.search_fields, value))


class _ShallowUnitIterator(ModelChoiceIterator):
    """Offers the top levels of the user's tree (and the chosen unit), not all of it: a
    province has 1,500 units, too many for one drop-down and slow to render."""

    def __init__(self, field):
        super().__init__(field)
        top = self.queryset.aggregate(top=Min("depth"))["top"] or 0
        shown = Q(depth__lte=top + field.levels)
        if field.selected:
            shown |= Q(pk=field.selected)
        self.queryset = self.queryset.filter(shown)


class UnitChoiceField(forms.ModelChoiceField):
    iterator = _ShallowUnitIterator
    levels = 2
    selected = None


class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """Filter by a unit and everything below it; the choices are the units the user sees
    (any of them is accepted; the drop-down lists the top levels and the chosen one)."""

    field_class = UnitChoiceField

    def __init__(self, *args, path_lookup, **kwargs):
        self.path_lookup = path_lookup
        kwargs.setdefault("label", _("Unit (with subunits)"))
        kwargs.setdefault("queryset", self._units)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        data = getattr(self.parent, "data", None) or {}
        value = data.get(self.field_name) if hasattr(data, "get") else None
        field.selected = int(value) if value and str(value).isdigit() else None
        return field

    def _units(self, request):
        from zhaoshang.organization.models import Unit

        if request is None:
            return Unit.objects.none()
        return units_for(request.user, Unit, "view")

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(subtree_q(self.path_lookup, value.path))
