"""The targets endpoints: indicators, targets, reported values, computed figures, rankings.

Records go through the generic machinery (scope, FilterSet, a form that checks writes). The
figures come from `targets.engine` and the rankings from `targets.assessment`, as on the
pages; the unit, period and peer-group pickers are the pages' (`targets.views`), except
that a malformed parameter answers 400 with a message instead of the page's default.
Reporters read targets but do not set them (organization/roles.py, SET_FROM_ABOVE_READ).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.api.base import (
    BIGGEST,
    ScopedModelViewSet,
    record_serializer,
)
from zhaoshang.core import quantities
from zhaoshang.core.periods import AHEAD, BEHIND, ON_PACE, Period
from zhaoshang.core.scope import VIEW, can, units_for
from zhaoshang.organization.models import PeerGroup
from zhaoshang.pipeline.models import Project
from zhaoshang.targets import assessment, engine
from zhaoshang.targets import views as target_pages
from zhaoshang.targets.filtersets import TargetFilterSet
from zhaoshang.targets.forms import YEARS, IndicatorForm, ReportedValueForm, TargetForm
from zhaoshang.targets.models import (
    Indicator,
    RankingSnapshot,
    ReportedValue,
    SnapshotKind,
    Target,
)

# --- indicators --------------------------------------------------------------------------


class IndicatorViewSet(ScopedModelViewSet):
    views = target_pages.IndicatorViews
    api_description = gettext_lazy(
        "Assessment indicators (考核指标): standard ones (no owning unit) are read by every "
        "unit, a unit's own ones by its subtree; a unit reads the indicators set above it."
    )
    serializer_class = record_serializer(Indicator, list(IndicatorForm._meta.fields))
    ordering_fields = ("id", "sort_order", "code", "name")


# --- targets -----------------------------------------------------------------------------


class TargetViews:
    """Targets have no ledger page (the target grid edits them); this is the API's."""

    model = Target
    filterset = TargetFilterSet
    form = TargetForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "indicator")

    @classmethod
    def new_instance(cls, user):
        return Target()


class TargetViewSet(ScopedModelViewSet):
    views = TargetViews
    api_description = gettext_lazy(
        "Targets (目标任务) of a unit for an indicator and year, split by month (12 parts) "
        "or quarter (4 parts) that add up to the annual target. Set by the level above: "
        "a street reads its targets but does not set them."
    )
    serializer_class = record_serializer(
        Target,
        list(TargetForm._meta.fields),
        extra={
            "parts": serializers.ListField(
                child=serializers.CharField(),
                required=False,
                help_text=gettext_lazy("12 monthly or 4 quarterly values, as text."),
            )
        },
    )
    ordering_fields = ("id", "year")


# --- reported values ---------------------------------------------------------------------


class ReportedValueViewSet(ScopedModelViewSet):
    views = target_pages.ReportedValueViews
    api_description = gettext_lazy(
        "Figures reported by hand for a unit and month (e.g. utilized foreign investment "
        "from the statistics), for indicators counted as “reported by hand”."
    )
    serializer_class = record_serializer(
        ReportedValue,
        [*ReportedValueForm._meta.fields, "reported_by", "reported_at"],
        read_only=("reported_by", "reported_at"),
    )
    ordering_fields = ("id", "year", "month")


# --- computed figures and rankings -------------------------------------------------------


def _bad(name, message):
    return exceptions.ValidationError({name: [message]})


def _id_param(request, name):
    """The query parameter `name` as a record id, None when absent; 400 when malformed."""
    value = request.query_params.get(name, "")
    if value == "":
        return None
    if not (value.isascii() and value.isdigit() and 0 < int(value) <= BIGGEST):
        raise _bad(name, _("Give the id of the record, a whole number."))
    return int(value)


def period_param(request):
    """The `period` query parameter as a Period (the current year to date when absent)."""
    code = request.query_params.get("period", "")
    if code == "":
        return target_pages.default_period()
    try:
        period = Period.parse(code)
    except ValueError:
        period = None
    if period is None or not YEARS[0] <= period.year <= YEARS[1]:
        raise _bad(
            "period",
            _(
                "“%(code)s” is not a period. Write a month as 2026M03, a quarter as 2026Q1, "
                "a half year as 2026H1, a year as 2026Y, January to a month as 2026C08."
            )
            % {"code": code[:20]},
        )
    return period


def unit_param(request):
    """The `unit` query parameter among the units whose figures the user reads (404
    outside them); the user's home unit when absent."""
    unit_id = _id_param(request, "unit")
    if unit_id is None:
        return target_pages.home_unit(request.user)
    unit = target_pages.scope_units(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise exceptions.NotFound(_("No such unit in your scope."))
    return unit


def _number(value, places=4):
    return None if value is None else quantities.plain(value, places)


def _period_out(period):
    return {"code": period.code, "label": period.label}


PACES = [
    (AHEAD, gettext_lazy("ahead")),
    (ON_PACE, gettext_lazy("on pace")),
    (BEHIND, gettext_lazy("behind")),
]


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("Period code, e.g. 2026C08."))
    label = serializers.CharField(help_text=gettext_lazy("Period in words, e.g. 2026年1-8月."))


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class IndicatorRefSerializer(NamedSerializer):
    code = serializers.CharField()
    unit_of_measure = serializers.CharField()


def _decimal(help_text):
    return serializers.CharField(allow_null=True, help_text=help_text)


class FigureSerializer(serializers.Serializer):
    indicator = IndicatorRefSerializer()
    actual = _decimal(gettext_lazy("Actual value in the period, in the indicator's unit."))
    target = _decimal(gettext_lazy("Annual target (null when none is set)."))
    period_target = _decimal(gettext_lazy("Target of the period itself, from the split."))
    last_year = _decimal(gettext_lazy("Actual value of the same period last year."))
    completion = _decimal(gettext_lazy("Completion of the annual target, in percent."))
    period_completion = _decimal(gettext_lazy("Completion of the period's target, in percent."))
    yoy_growth = _decimal(gettext_lazy("Year-on-year growth, in percent."))
    time_progress = _decimal(gettext_lazy("Share of the year elapsed at the period end (%)."))
    pace = serializers.ChoiceField(
        choices=PACES,
        allow_null=True,
        help_text=gettext_lazy("Completion against time progress: ahead, on pace or behind."),
    )


class FiguresSerializer(serializers.Serializer):
    unit = NamedSerializer()
    period = PeriodSerializer()
    results = FigureSerializer(many=True)


def figure_out(fig):
    ind = fig.indicator
    return {
        "indicator": {
            "id": ind.pk,
            "code": ind.code,
            "name": ind.name,
            "unit_of_measure": ind.unit_of_measure,
        },
        "actual": _number(fig.actual),
        "target": _number(fig.target),
        "period_target": _number(fig.period_target),
        "last_year": _number(fig.last_year),
        "completion": _number(fig.completion, 2),
        "period_completion": _number(fig.period_completion, 2),
        "yoy_growth": _number(fig.growth, 2),
        "time_progress": _number(fig.time_progress, 2),
        "pace": fig.pace,
    }


def _require_indicator_view(user):
    if not can(user, Indicator, VIEW):
        raise PermissionDenied


PERIOD_PARAM = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description=gettext_lazy(
        "Period code: 2026M03 (month), 2026Q1 (quarter), 2026H1 (half year), 2026Y (year), "
        "2026C08 (January to August). Default: this year to this month."
    ),
)


class FiguresView(APIView):
    """The figures of a unit (its whole subtree) for a period."""

    model = Indicator
    api_description = gettext_lazy(
        "Computed figures of a unit (with its subunits) for a period, one per indicator the "
        "user reads: actual, annual and period target, completion, year-on-year growth, "
        "time progress and pace — the figures of the 指标完成情况 page."
    )

    @extend_schema(
        operation_id="targets_figures",
        tags=[gettext_lazy("computed figures")],
        parameters=[
            OpenApiParameter(
                "unit",
                OpenApiTypes.INT,
                description=gettext_lazy("Unit id (default: your own unit or jurisdiction)."),
            ),
            PERIOD_PARAM,
            OpenApiParameter(
                "indicator",
                OpenApiTypes.INT,
                description=gettext_lazy("Only this indicator (id)."),
            ),
        ],
        responses=FiguresSerializer,
    )
    def get(self, request):
        _require_indicator_view(request.user)
        indicator_id = _id_param(request, "indicator")
        period = period_param(request)
        unit = unit_param(request)
        indicators = target_pages.visible_indicators(request.user)
        if indicator_id is not None:
            indicators = indicators.filter(pk=indicator_id)
            if not indicators:
                raise exceptions.NotFound(_("No such indicator in your scope."))
        indicators = list(indicators)
        # As on the figures page: indicators of one record kind share a query, and the
        # cubes serve later requests while no record changed.
        with engine.memo():
            engine.prefetch(indicators, period.year, [unit.path])
            tree = engine.UnitTree.for_roots([unit.path])
            results = [
                figure_out(engine.figures(indicator, [unit], period, tree)[unit.pk])
                for indicator in indicators
            ]
        return Response(
            {
                "unit": {"id": unit.pk, "name": unit.name},
                "period": _period_out(period),
                "results": results,
            }
        )


class RankingRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    unit = NamedSerializer()
    score = serializers.CharField(help_text=gettext_lazy("Score (points)."))
    movement = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("Places moved up since the last published ranking."),
    )
    completions = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text=gettext_lazy("Completion in percent by indicator code."),
    )


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SnapshotKind.choices)
    period = serializers.CharField(help_text=gettext_lazy("Period code, e.g. 2026C08."))
    taken_at = serializers.DateTimeField()


class RankingSerializer(serializers.Serializer):
    group = NamedSerializer()
    period = PeriodSerializer()
    snapshot = SnapshotSerializer(
        allow_null=True,
        help_text=gettext_lazy("The published ranking shown; null for the live one."),
    )
    snapshots = SnapshotSerializer(
        many=True, help_text=gettext_lazy("The group's latest published rankings (up to 20).")
    )
    indicators = IndicatorRefSerializer(many=True)
    results = RankingRowSerializer(many=True)


def _snapshot_out(snapshot):
    return {
        "id": snapshot.pk,
        "kind": snapshot.kind,
        "period": snapshot.period_code,
        "taken_at": serializers.DateTimeField().to_representation(snapshot.taken_at),
    }


def _indicator_out(indicator):
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "unit_of_measure": indicator.unit_of_measure,
    }


def _published(shown, group):
    """The rows of a published ranking, as published, with movement since the one before."""
    previous = assessment.previous_snapshot(group, shown.kind, before=shown)
    before = dict(previous.entries.values_list("unit_id", "position")) if previous else {}
    entries = list(shown.entries.select_related("unit"))
    codes = {code for e in entries for code in e.completions}
    indicators = Indicator.objects.filter(code__in=codes).order_by("sort_order", "id")
    rows = [
        {
            "position": e.position,
            "unit": {"id": e.unit_id, "name": e.unit.name},
            "score": str(e.score),
            "movement": (before[e.unit_id] - e.position) if e.unit_id in before else None,
            "completions": e.completions,
        }
        for e in entries
    ]
    return [_indicator_out(i) for i in indicators], rows


class RankingView(APIView):
    """A peer group's live ranking for a period."""

    model = Indicator
    api_description = gettext_lazy(
        "The ranking (排名) of a peer group's units for a period: score from the weighted "
        "completions plus bonus points, and movement since the last published ranking."
    )

    @extend_schema(
        operation_id="targets_ranking",
        tags=[gettext_lazy("rankings")],
        parameters=[
            OpenApiParameter(
                "group",
                OpenApiTypes.INT,
                description=gettext_lazy("Peer group id (default: the first you read)."),
            ),
            PERIOD_PARAM,
            OpenApiParameter(
                "snapshot",
                OpenApiTypes.INT,
                description=gettext_lazy(
                    "A published ranking of the group (id from `snapshots`), shown as "
                    "published; its own period replaces `period`."
                ),
            ),
        ],
        responses=RankingSerializer,
    )
    def get(self, request):
        _require_indicator_view(request.user)
        group_id = _id_param(request, "group")
        snapshot_id = _id_param(request, "snapshot")
        period = period_param(request)
        groups = list(PeerGroup.objects.visible_to(request.user))
        if not groups:
            raise PermissionDenied
        group = groups[0]
        if group_id is not None:
            group = next((g for g in groups if g.pk == group_id), None)
            if group is None:
                raise exceptions.NotFound(_("No such peer group in your scope."))
        snapshots = list(
            RankingSnapshot.objects.filter(peer_group=group).order_by("-taken_at")[:20]
        )
        shown = None
        if snapshot_id is not None:
            shown = RankingSnapshot.objects.filter(peer_group=group, pk=snapshot_id).first()
            if shown is None:
                raise exceptions.NotFound(_("No such published ranking of this group."))
            period = Period.parse(shown.period_code)
            indicators, results = _published(shown, group)
        else:
            allowed = units_for(request.user, Project, VIEW)
            units = list(allowed.filter(peer_group=group, is_active=True).order_by("path"))
            live = assessment.indicators_for(units, period.year) if units else []
            rows = assessment.rank(units, period, live)
            last = assessment.previous_snapshot(
                group, SnapshotKind.WEEKLY
            ) or assessment.previous_snapshot(group, SnapshotKind.MONTHLY)
            assessment.with_movement(rows, last)
            indicators = [_indicator_out(i) for i in live]
            results = [
                {
                    "position": row.position,
                    "unit": {"id": row.unit.pk, "name": row.unit.name},
                    "score": str(row.score),
                    "movement": row.movement,
                    "completions": row.completions,
                }
                for row in rows
            ]
        return Response(
            {
                "group": {"id": group.pk, "name": group.name},
                "period": _period_out(period),
                "snapshot": _snapshot_out(shown) if shown else None,
                "snapshots": [_snapshot_out(x) for x in snapshots],
                "indicators": indicators,
                "results": results,
            }
        )
