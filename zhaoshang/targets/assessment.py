"""Scores and rankings of peer units, and the snapshots that keep them as published.

Score of a unit (documented in docs/guide/targets.md):
    score = Σ over the indicators weighted for its unit class of
            weight × min(completion %, cap %) ÷ 100  +  bonus points of the year up to the period
A unit without a class is scored on every indicator that has a target, each with weight 1.
Ties share no position: they are ordered by unit path.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from zhaoshang.core.periods import Period
from zhaoshang.targets import engine
from zhaoshang.targets.models import (
    BonusItem,
    Indicator,
    IndicatorWeight,
    RankingEntry,
    RankingSnapshot,
    Target,
)


@dataclass
class Row:
    unit: object
    score: Decimal
    completions: dict = field(default_factory=dict)  # indicator code → completion (str|None)
    figures: dict = field(default_factory=dict)  # indicator id → Figure
    figures_hash: str = ""
    position: int = 0
    movement: int | None = None


def indicators_for(units, year):
    """The indicators the units are judged by: their classes' weights, else those with targets."""
    class_ids = {u.unit_class_id for u in units if u.unit_class_id}
    ids = set(
        IndicatorWeight.objects.filter(unit_class_id__in=class_ids).values_list(
            "indicator_id", flat=True
        )
    )
    ids |= set(
        Target.objects.filter(engine.units_q(units), year=year)
        .order_by()  # the default ordering joined units and indicators (23 ms)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return list(Indicator.objects.filter(pk__in=ids).order_by("sort_order", "id"))


def rank(units, period, indicators=None):
    """[Row] of `units` ordered by score for `period`, positions 1…n."""
    units = list(units)
    if not units:
        return []
    indicators = indicators if indicators is not None else indicators_for(units, period.year)
    with engine.memo():
        tree = engine.UnitTree.for_roots(engine._roots(units))
        engine.prefetch(indicators, period.year, engine._widened(engine._roots(units)))
        per_indicator = {ind.pk: engine.figures(ind, units, period, tree) for ind in indicators}
    weights = {}
    for w in IndicatorWeight.objects.filter(
        unit_class_id__in={u.unit_class_id for u in units if u.unit_class_id}
    ):
        weights.setdefault(w.unit_class_id, {})[w.indicator_id] = (w.weight, w.cap)
    bonus = dict(
        BonusItem.objects.filter(
            engine.units_q(units), year=period.year, month__lte=period.last_month
        )
        .values_list("unit")
        .annotate(p=Sum("points"))
    )
    rows = []
    for unit in units:
        figs = {ind_id: figs[unit.id] for ind_id, figs in per_indicator.items()}
        completions = {ind_id: f.completion for ind_id, f in figs.items()}
        unit_weights = weights.get(unit.unit_class_id) or {
            ind_id: (1, None) for ind_id, f in figs.items() if f.target
        }
        row = Row(
            unit,
            engine.score(completions, unit_weights, bonus.get(unit.id)),
            {ind.code: _s(completions[ind.pk]) for ind in indicators},
            figs,
        )
        row.figures_hash = engine.figures_hash(
            [(ind.code, figs[ind.pk].actual, figs[ind.pk].target) for ind in indicators]
        )
        rows.append(row)
    rows.sort(key=lambda r: (-r.score, r.unit.path))
    for i, row in enumerate(rows, start=1):
        row.position = i
    return rows


def _s(value):
    return None if value is None else str(value)


def previous_snapshot(peer_group, kind, before=None):
    qs = RankingSnapshot.objects.filter(peer_group=peer_group, kind=kind)
    if before is not None:
        qs = qs.filter(taken_at__lt=before.taken_at)
    return qs.order_by("-taken_at", "-id").first()


def with_movement(rows, snapshot):
    """Set each row's movement since `snapshot` (positive: up that many places)."""
    if snapshot is None:
        return rows
    before = dict(snapshot.entries.values_list("unit_id", "position"))
    for row in rows:
        if row.unit.pk in before:
            row.movement = before[row.unit.pk] - row.position
    return rows


@transaction.atomic
def take_snapshot(peer_group, period, kind):
    """Store the group's ranking for `period` as published now."""
    from zhaoshang.organization.models import Unit

    units = Unit.objects.filter(peer_group=peer_group, is_active=True).order_by("path")
    rows = rank(units, period)
    snapshot = RankingSnapshot.objects.create(
        peer_group=peer_group, period_code=period.code, kind=kind
    )
    RankingEntry.objects.bulk_create(
        RankingEntry(
            snapshot=snapshot,
            unit=row.unit,
            position=row.position,
            score=row.score,
            completions=row.completions,
            figures_hash=row.figures_hash,
        )
        for row in rows
    )
    return snapshot


def changed_units(snapshot):
    """Ids of the units whose figures differ today from those the snapshot published."""
    entries = list(snapshot.entries.select_related("unit"))
    if not entries:
        return set()
    rows = rank([e.unit for e in entries], Period.parse(snapshot.period_code))
    now = {row.unit.pk: row.figures_hash for row in rows}
    return {e.unit_id for e in entries if now.get(e.unit_id) != e.figures_hash}
