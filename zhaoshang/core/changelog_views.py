"""The global change log page: every entry the user may see, filtered by user, unit, type, date."""

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter
from zhaoshang.core.models import ChangeAction, ChangeLogEntry, ChangeLoggedModel
from zhaoshang.core.scope import VIEW, can
from zhaoshang.core.tables import BaseTable


def logged_content_types():
    from django.apps import apps

    models = [m for m in apps.get_models() if issubclass(m, ChangeLoggedModel)]
    return ContentType.objects.get_for_models(*models).values()


class ChangeLogFilterSet(BaseFilterSet):
    search_fields = ("username", "object_repr")
    within = UnitSubtreeFilter(path_lookup="unit__path")
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("action"))
    content_type = django_filters.ChoiceFilter(
        choices=lambda: sorted(
            ((ct.pk, str(ct.model_class()._meta.verbose_name)) for ct in logged_content_types()),
            key=lambda choice: choice[1],
        ),
        label=_("record type"),
    )
    username = django_filters.CharFilter(lookup_expr="iexact", label=_("username"))
    since = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__gte",
        label=_("from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__lte",
        label=_("to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ChangeLogEntry
        fields = []


class ChangeLogTable(BaseTable):
    time = tables.DateTimeColumn(format="Y-m-d H:i:s")
    object_repr = tables.Column(verbose_name=_("record"), linkify=False)
    changes = tables.TemplateColumn(
        template_name="core/changes_cell.html", verbose_name=_("changes"), orderable=False
    )

    class Meta(BaseTable.Meta):
        model = ChangeLogEntry
        fields = ("time", "username", "ip", "action", "content_type", "object_repr", "unit")


def changelog_list(request):
    if not can(request.user, ChangeLogEntry, VIEW):
        raise PermissionDenied
    queryset = ChangeLogEntry.objects.visible_to(request.user).select_related(
        "content_type", "unit"
    )
    filterset = ChangeLogFilterSet(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    table = ChangeLogTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "core/changelog_list.html", {"filterset": filterset, "table": table})
