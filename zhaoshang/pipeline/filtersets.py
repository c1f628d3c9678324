"""Which rows: the ledger filters of leads, projects and approvals."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import BaseFilterSet, UnitSubtreeFilter
from zhaoshang.enterprises.choices import IndustrySection
from zhaoshang.pipeline import flags
from zhaoshang.pipeline.choices import CapitalOrigin, Channel, LeadStatus, Stage
from zhaoshang.pipeline.models import (
    Approval,
    Evidence,
    Lead,
    Milestone,
    Project,
    ProjectHeadquarters,
    ProjectIssue,
)


def _date():
    return {"widget": forms.DateInput(attrs={"type": "date"})}


# The widget styling moved to core's BaseFilterSet, where every app gets it.
StyledFilterSet = BaseFilterSet


class LeadFilterSet(StyledFilterSet):
    search_fields = ("enterprise_name", "enterprise__name", "summary")
    within = UnitSubtreeFilter(path_lookup="unit__path")
    status = django_filters.MultipleChoiceFilter(choices=LeadStatus.choices, label=_("status"))
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, label=_("channel"))
    industry = django_filters.ChoiceFilter(choices=IndustrySection.choices, label=_("industry"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("submitted from"), **_date()
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("submitted until"), **_date()
    )

    class Meta:
        model = Lead
        fields = []


class ProjectFilterSet(StyledFilterSet):
    search_fields = ("name", "code", "investor__name", "focus_industry")
    within = UnitSubtreeFilter(path_lookup="responsible_unit__path")
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("stage"))
    flag = django_filters.MultipleChoiceFilter(
        choices=flags.flag_choices, method="filter_flags", label=_("flags")
    )
    industry = django_filters.ChoiceFilter(choices=IndustrySection.choices, label=_("industry"))
    capital_origin = django_filters.ChoiceFilter(
        choices=CapitalOrigin.choices, label=_("capital origin")
    )
    returning_capital = django_filters.BooleanFilter(label=_("returning capital"))
    reached = django_filters.ChoiceFilter(
        choices=Stage.choices, method="filter_reached", label=_("stage reached")
    )
    reached_from = django_filters.DateFilter(
        method="filter_noop", label=_("stage reached from"), **_date()
    )
    reached_until = django_filters.DateFilter(
        method="filter_noop", label=_("stage reached until"), **_date()
    )

    class Meta:
        model = Project
        fields = []

    def filter_flags(self, queryset, name, value):
        return flags.filter_flags(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_reached

    def filter_reached(self, queryset, name, value):
        """Projects with a milestone of that stage dated within the range."""
        milestones = Milestone.objects.filter(project=OuterRef("pk"), stage=value)
        start = self.form.cleaned_data.get("reached_from")
        end = self.form.cleaned_data.get("reached_until")
        if start:
            milestones = milestones.filter(date__gte=start)
        if end:
            milestones = milestones.filter(date__lte=end)
        return queryset.filter(Exists(milestones))


class MilestoneFilterSet(StyledFilterSet):
    """Stage changes: which projects moved, to which stage, when (the weekly summary's
    "stage moves" open here)."""

    search_fields = ("project__name", "project__code", "reason")
    within = UnitSubtreeFilter(path_lookup="project__responsible_unit__path")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("date from"), **_date()
    )
    date_until = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("date until"), **_date()
    )
    moves = django_filters.BooleanFilter(
        field_name="from_stage", lookup_expr="exact", exclude=True, method="filter_moves",
        label=_("moves from a stage only"),
    )  # fmt: skip

    class Meta:
        model = Milestone
        fields = []

    def filter_moves(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(from_stage="") if value else queryset.filter(from_stage="")


class ApprovalFilterSet(StyledFilterSet):
    search_fields = ("name", "project__name", "project__code")
    within = UnitSubtreeFilter(path_lookup="project__responsible_unit__path")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    done = django_filters.BooleanFilter(
        field_name="done_date", lookup_expr="isnull", exclude=True, label=_("done")
    )
    deadline_from = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("deadline from"), **_date()
    )
    deadline_until = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("deadline until"), **_date()
    )

    class Meta:
        model = Approval
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ProjectIssueFilterSet(StyledFilterSet):
    search_fields = ("problem", "measure", "project__name")
    within = UnitSubtreeFilter(path_lookup="project__responsible_unit__path")
    resolved = django_filters.BooleanFilter(
        field_name="resolved_date", lookup_expr="isnull", exclude=True, label=_("resolved")
    )

    class Meta:
        model = ProjectIssue
        fields = []


class ProjectHeadquartersFilterSet(StyledFilterSet):
    search_fields = ("name",)
    within = UnitSubtreeFilter(path_lookup="unit__path")

    class Meta:
        model = ProjectHeadquarters
        fields = []


class EvidenceFilterSet(StyledFilterSet):
    search_fields = ("original_name", "description", "project__name")
    within = UnitSubtreeFilter(path_lookup="project__responsible_unit__path")

    class Meta:
        model = Evidence
        fields = ["kind"]
