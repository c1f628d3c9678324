"""Pages of the activities app: the ledger with its counts strip, and the activity page."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from zhaoshang.activities import filtersets, forms, tables
from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity, negotiation_rounds
from zhaoshang.core.scope import VIEW
from zhaoshang.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectViews,
)

# Kinds shown in the counts strip above the ledger, in this order.
STRIP_KINDS = (
    ActivityKind.TRIP,
    ActivityKind.VISIT,
    ActivityKind.HOSTED_VISIT,
    ActivityKind.NEGOTIATION,
    ActivityKind.EVENT,
    ActivityKind.SIGNING_CEREMONY,
)


class ActivityListView(ObjectListView):
    """The ledger: the generic list plus the counts of the filtered rows by kind."""

    def get(self, request):
        self.require(VIEW)
        queryset = self.spec.list_queryset(self.scoped(VIEW))
        filterset = self.spec.filterset(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        counts = rows.kind_counts()
        strip = [(kind.label, kind.value, counts[kind.value]) for kind in STRIP_KINDS]
        table = self.spec.table(rows.with_rounds())
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(
            request,
            self.spec.list_template,
            self.base_context(filterset=filterset, table=table, strip=strip, total=counts["total"]),
        )


class ActivityViews(ObjectViews):
    model = Activity
    filterset = filtersets.ActivityFilterSet
    table = tables.ActivityTable
    form = forms.ActivityForm
    list_template = "activities/activity_list.html"
    detail_template = "activities/activity_detail.html"
    # The negotiated project, the projects and the enterprises are shown in their own cards.
    detail_fields = (
        "kind",
        "title",
        "start_date",
        "end_date",
        "city",
        "place",
        "leader_name",
        "leader",
        "participants",
        "outcome",
        "unit",
    )

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "leader")

    @classmethod
    def urls(cls):
        """The generic pages at /activities/…, with the ledger that shows the counts strip."""
        return [
            path("", ActivityListView.as_view(spec=cls), name="activity_list"),
            path("add/", ObjectEditView.as_view(spec=cls), name="activity_add"),
            path("<int:pk>/", ObjectDetailView.as_view(spec=cls), name="activity_detail"),
            path("<int:pk>/edit/", ObjectEditView.as_view(spec=cls), name="activity_edit"),
            path("<int:pk>/delete/", ObjectDeleteView.as_view(spec=cls), name="activity_delete"),
        ]

    @classmethod
    def related(cls, obj, user):
        from zhaoshang.activities.tables import ActivityTable

        sections = []
        if obj.is_negotiation and obj.project_id:
            rounds = negotiation_rounds(obj.project, user).select_related("leader")
            sections.append(
                (
                    _("All negotiation rounds of this project"),
                    ActivityTable(rounds, orderable=False),
                )
            )
        return sections

    @classmethod
    def extra_detail_context(cls, obj, user):
        context = {
            "negotiation_round": obj.round_number(),
            "visible_enterprises": obj.enterprises.visible_to(user),
            "visible_projects": obj.projects.visible_to(user).select_related("responsible_unit"),
            "hidden_projects": obj.projects.count() - obj.projects.visible_to(user).count(),
            "hidden_enterprises": obj.enterprises.count()
            - obj.enterprises.visible_to(user).count(),
        }
        if obj.is_signing_ceremony:
            context["signed_total"] = obj.signed_total()
        return context
