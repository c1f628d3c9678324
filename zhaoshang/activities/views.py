"""Pages of the activities app: the ledger with its counts strip, and the activity page."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities import filtersets, forms, tables
from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity, negotiation_rounds
from zhaoshang.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectExportView,
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
    """The generic ledger plus the counts strip: the filtered rows counted by kind."""

    def ledger(self):
        filterset, rows, table, prefs = super().ledger()
        self.counts = rows.kind_counts()
        return filterset, rows, table, prefs

    def base_context(self, **extra):
        context = super().base_context(**extra)
        counts = getattr(self, "counts", None)
        if counts is not None:
            context["strip"] = [(k.label, k.value, counts[k.value]) for k in STRIP_KINDS]
            context["total"] = counts["total"]
        return context


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
        return queryset.select_related("unit", "leader").with_rounds()

    @classmethod
    def urls(cls):
        """The generic pages at /activities/…, with the ledger that shows the counts strip."""
        return [
            path("", ActivityListView.as_view(spec=cls), name="activity_list"),
            path("export/", ObjectExportView.as_view(spec=cls), name="activity_export"),
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
