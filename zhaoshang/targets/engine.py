"""The one place where an indicator's actual value is computed, and the records behind it.

`actuals(indicator, units, period)` answers for many units at once with one GROUP BY query
on the owning unit (two for signed amounts: projects and capital increases), then rolls
each unit's subtree up in Python over the unit tree: a loop over units, never over records.
`records(indicator, unit, period, user)` gives the querysets whose rows add up to the figure.

Counting rules (口径):
- a project counts in the period in which it first reached the indicator's stage (its first
  milestone of that stage), so a project signed twice counts once, at its first signing;
- a capital increase (增资) counts only its added amount, on its own date, for amount
  indicators of the signed stage;
- a certified-only indicator counts a project when a certification for it is in force at
  the period end: certified on or before it and not withdrawn on or before it.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from zhaoshang.core import quantities
from zhaoshang.core.periods import Period, pace
from zhaoshang.pipeline.choices import Stage
from zhaoshang.targets.models import (
    FIELD_UNITS,
    CapitalIncrease,
    Certification,
    Field,
    Indicator,
    ReportedValue,
    Source,
    Split,
    Target,
)

ZERO = Decimal(0)


def project_q(indicator):
    """The filters of a project indicator as a Q on Project."""
    from zhaoshang.pipeline.flags import flag_q

    f = indicator.filters or {}
    q = Q()
    for code in f.get("flags", []):
        q &= flag_q(code)
    if f.get("capital_origin"):
        q &= Q(capital_origin__in=f["capital_origin"])
    if "returning_capital" in f:
        q &= Q(returning_capital=bool(f["returning_capital"]))
    if f.get("focus_industry"):
        q &= Q(focus_industry=f["focus_industry"])
    return q


def certified_q(indicator, period, prefix=""):
    """Projects with a certification for `indicator` in force at the period end."""
    end = period.end
    return Q(
        Exists(
            Certification.objects.filter(
                project=OuterRef(f"{prefix}pk"), indicator=indicator, date__lte=end
            ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
        )
    )


def _projects(indicator, period):
    from zhaoshang.pipeline.models import Milestone, Project

    stage = indicator.stage or Stage.SIGNED
    # First milestones of the stage inside the period: one in it, none of that stage before.
    earlier = Milestone.objects.filter(
        project=OuterRef("project"), stage=stage, date__lt=period.start
    )
    first = (
        Milestone.objects.filter(stage=stage, date__gte=period.start, date__lte=period.end)
        .exclude(Exists(earlier))
        .values("project")
    )
    qs = Project.objects.filter(project_q(indicator)).filter(pk__in=first)
    if indicator.certified_only:
        qs = qs.filter(certified_q(indicator, period))
    return qs


def _increases(indicator, period):
    if indicator.source != Source.PROJECT_SUM or (indicator.stage or Stage.SIGNED) != Stage.SIGNED:
        return None
    qs = CapitalIncrease.objects.filter(
        field=indicator.field, date__gte=period.start, date__lte=period.end
    )
    if project_q(indicator).children:
        from zhaoshang.pipeline.models import Project

        qs = qs.filter(project__in=Project.objects.filter(project_q(indicator)))
    if indicator.certified_only:
        qs = qs.filter(certified_q(indicator, period, prefix="project__"))
    return qs


def _activities(indicator, period):
    from zhaoshang.activities.models import Activity

    qs = Activity.objects.filter(start_date__gte=period.start, start_date__lte=period.end)
    kinds = (indicator.filters or {}).get("activity_kinds")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def _leads(indicator, period):
    from zhaoshang.pipeline.models import Lead

    # Local-day bounds as datetimes, so an index on created_at can serve the range.
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return Lead.objects.filter(created_at__gte=start, created_at__lt=end)


def _carriers(indicator, period):
    from zhaoshang.carriers.models import BuildingTenant, LandParcel

    if indicator.field == Field.ABOVE_SCALE_TENANTS:
        return BuildingTenant.objects.filter(
            move_in_date__gte=period.start,
            move_in_date__lte=period.end,
            enterprise__above_scale=True,
        )
    qs = LandParcel.objects.filter(sold_date__gte=period.start, sold_date__lte=period.end)
    land_use = (indicator.filters or {}).get("land_use")
    if land_use:
        qs = qs.filter(land_use__in=land_use)
    return qs


def _reported(indicator, period):
    return ReportedValue.objects.filter(
        indicator=indicator, year=period.year, month__in=period.months()
    )


@dataclass
class Section:
    """One list of records behind a figure: rows, the unit path lookup, what each adds."""

    title: str
    queryset: object
    path_lookup: str
    amount: str | None  # the field summed, or None when each row counts 1
    kind: str


def sections(indicator, period):
    """The record lists whose rows make up the indicator's figure (unscoped, all units)."""
    from django.utils.translation import gettext as _

    src = indicator.source
    if src in (Source.PROJECT_SUM, Source.PROJECT_COUNT):
        amount = indicator.field if src == Source.PROJECT_SUM else None
        result = [
            Section(
                _("Projects"),
                _projects(indicator, period),
                "responsible_unit__path",
                amount,
                "project",
            )
        ]
        increases = _increases(indicator, period)
        if increases is not None:
            result.append(
                Section(
                    _("Capital increases"),
                    increases,
                    "project__responsible_unit__path",
                    "amount",
                    "increase",
                )
            )
        return result
    if src == Source.ACTIVITY_COUNT:
        return [
            Section(_("Activities"), _activities(indicator, period), "unit__path", None, "activity")
        ]
    if src == Source.LEAD_COUNT:
        return [Section(_("Leads"), _leads(indicator, period), "unit__path", None, "lead")]
    if src in (Source.CARRIER_SUM, Source.CARRIER_COUNT):
        qs = _carriers(indicator, period)
        amount = "area_mu" if src == Source.CARRIER_SUM else None
        kind = "tenant" if indicator.field == Field.ABOVE_SCALE_TENANTS else "parcel"
        return [Section(_("Carriers"), qs, "unit__path", amount, kind)]
    return [
        Section(
            _("Reported values"), _reported(indicator, period), "unit__path", "value", "reported"
        )
    ]


def _unit_fk(section):
    return section.path_lookup[: -len("__path")]


def _convert(indicator, value):
    """A raw figure (in the field's storage unit) in the indicator's unit of measure."""
    if value is None:
        return ZERO
    source_unit = FIELD_UNITS.get(indicator.field)
    if source_unit and source_unit != indicator.unit_of_measure:
        return quantities.convert(value, source_unit, indicator.unit_of_measure)
    return quantities.to_decimal(value)


def own_totals(indicator, period, root_paths=None):
    """{unit id: raw figure of the records the unit owns itself} — one query per section."""
    totals = {}
    for section in sections(indicator, period):
        qs = section.queryset
        fk = _unit_fk(section)
        if root_paths and not _whole_tree(root_paths):
            # Units by id from one small subquery: no join of every record to its unit.
            qs = qs.filter(**{f"{fk}__in": _units_under(root_paths)})
        value = Sum(section.amount) if section.amount else Count("pk")
        for unit_id, total in qs.order_by().values_list(fk).annotate(v=value):
            totals[unit_id] = totals.get(unit_id, ZERO) + quantities.to_decimal(total or 0)
    return totals


def _units_under(root_paths):
    from zhaoshang.organization.models import Unit

    q = Q()
    for path in root_paths:
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q).values("pk")


def _whole_tree(root_paths):
    """Whether the roots are top-level units covering every unit (no filter needed)."""
    from zhaoshang.organization.models import Unit

    tops = {p for p in root_paths if p.count("/") == 2}
    if not tops:
        return False
    return not Unit.objects.filter(parent__isnull=True).exclude(path__in=tops).exists()


def _roots(units):
    paths = sorted({u.path for u in units})
    roots = []
    for path in paths:
        if not any(path.startswith(r) for r in roots):
            roots.append(path)
    return roots if len(roots) <= 20 else None


class UnitTree:
    """id → path of every unit under some roots, to roll own totals up subtrees."""

    def __init__(self, root_paths=None):
        from zhaoshang.organization.models import Unit

        qs = Unit.objects.all()
        if root_paths:
            q = Q()
            for path in root_paths:
                q |= Q(path__startswith=path)
            qs = qs.filter(q)
        self.path_of = dict(qs.values_list("id", "path"))
        self.id_of = {path: pk for pk, path in self.path_of.items()}

    def rollup(self, totals):
        """{unit id: sum over its subtree} for every unit with a non-empty subtree."""
        rolled = {}
        for unit_id, value in totals.items():
            path = self.path_of.get(unit_id)
            if path is None:
                continue
            codes = path.strip("/").split("/")
            for depth in range(1, len(codes) + 1):
                ancestor = self.id_of.get("/" + "/".join(codes[:depth]) + "/")
                if ancestor is not None:
                    rolled[ancestor] = rolled.get(ancestor, ZERO) + value
        return rolled


def actuals(indicator, units, period, tree=None):
    """{unit id: actual in the indicator's unit} for each unit's subtree."""
    roots = _roots(units)
    tree = tree or UnitTree(roots)
    rolled = tree.rollup(own_totals(indicator, period, roots))
    return {u.pk: _convert(indicator, rolled.get(u.pk, ZERO)) for u in units}


def actual(indicator, unit, period):
    return actuals(indicator, [unit], period)[unit.pk]


def monthly(indicator, unit, year):
    """The unit's actual of each month of `year` (its subtree), in the indicator's unit.

    Project indicators take one query grouped by month (plus one for capital increases);
    the others, and certified-only ones (whose certification is judged at each month's
    end), ask the engine month by month."""
    if indicator.source in (Source.PROJECT_SUM, Source.PROJECT_COUNT) and not (
        indicator.certified_only
    ):
        return _monthly_projects(indicator, unit, year)
    result = []
    for month in range(1, 13):
        totals = own_totals(indicator, Period.month(year, month), [unit.path])
        result.append(_convert(indicator, sum(totals.values(), ZERO)))
    return result


def _monthly_projects(indicator, unit, year):
    from django.db.models.functions import ExtractMonth

    from zhaoshang.pipeline.models import Milestone, Project

    stage = indicator.stage or Stage.SIGNED
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    earlier = Milestone.objects.filter(project=OuterRef("project"), stage=stage).filter(
        Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), pk__lt=OuterRef("pk"))
    )
    projects = Project.objects.filter(project_q(indicator)).filter(
        responsible_unit__in=_units_under([unit.path])
    )
    firsts = (
        Milestone.objects.filter(stage=stage, date__gte=start, date__lte=end)
        .exclude(Exists(earlier))
        .filter(project__in=projects.values("pk"))
        .order_by()
        .annotate(m=ExtractMonth("date"))
        .values("m")
    )
    value = Sum(f"project__{indicator.field}") if indicator.source == Source.PROJECT_SUM else None
    totals = dict(firsts.annotate(v=value or Count("pk")).values_list("m", "v"))
    by_month = [quantities.to_decimal(totals.get(m) or 0) for m in range(1, 13)]
    increases = _increases(indicator, Period.whole_year(year))
    if increases is not None:
        rows = (
            increases.filter(project__in=projects.values("pk"))
            .order_by()
            .annotate(m=ExtractMonth("date"))
            .values("m")
            .annotate(v=Sum("amount"))
            .values_list("m", "v")
        )
        for m, v in rows:
            by_month[m - 1] += quantities.to_decimal(v or 0)
    return [_convert(indicator, v) for v in by_month]


def records(indicator, unit, period, user):
    """[(section, scoped queryset of the unit's subtree, subtotal in the indicator's unit)]."""
    result = []
    for section in sections(indicator, period):
        qs = section.queryset.filter(**{f"{_unit_fk(section)}__in": _units_under([unit.path])})
        qs = qs.model.objects.visible_to(user).filter(pk__in=qs.values("pk"))
        agg = qs.aggregate(v=Sum(section.amount) if section.amount else Count("pk"))["v"]
        if section.kind in ("project", "increase"):
            field_unit = FIELD_UNITS.get(indicator.field)
        else:
            field_unit = None
        subtotal = quantities.to_decimal(agg or 0)
        if field_unit and field_unit != indicator.unit_of_measure:
            subtotal = quantities.convert(subtotal, field_unit, indicator.unit_of_measure)
        result.append((section, qs, subtotal))
    return result


# Targets ------------------------------------------------------------------------------------


def _in_measure(target, indicator, value):
    if value in (None, ""):
        return None
    value = quantities.to_decimal(value)
    measure = target.unit_of_measure or indicator.unit_of_measure
    if measure == indicator.unit_of_measure:
        return value
    return quantities.convert(value, measure, indicator.unit_of_measure)


def annual_target(target, indicator):
    return _in_measure(target, indicator, target.annual) if target else None


def period_target(target, indicator, period):
    """The target of the period's own split, or None when the split does not cover it."""
    if target is None or not target.parts:
        return None
    if period.kind == "Y":
        return annual_target(target, indicator)
    parts = [quantities.to_decimal(p or 0) for p in target.parts]
    if target.split == Split.MONTH:
        total = sum(parts[m - 1] for m in period.months())
    else:
        if (period.first_month - 1) % 3 or period.last_month % 3:
            return None
        total = sum(parts[q] for q in range((period.first_month - 1) // 3, period.last_month // 3))
    return _in_measure(target, indicator, total)


def targets_by_unit(indicator, units, year):
    return {
        t.unit_id: t
        for t in Target.objects.filter(
            indicator=indicator, year=year, unit__in=[u.pk for u in units]
        )
    }


@dataclass
class Figure:
    indicator: Indicator
    unit: object
    period: Period
    actual: Decimal
    target: Decimal | None
    period_target: Decimal | None
    last_year: Decimal
    completion: Decimal | None = None
    period_completion: Decimal | None = None
    growth: Decimal | None = None
    time_progress: Decimal | None = None
    pace: str | None = None

    def __post_init__(self):
        self.completion = quantities.percent(self.actual, self.target)
        self.period_completion = quantities.percent(self.actual, self.period_target)
        self.growth = quantities.growth(self.actual, self.last_year)
        self.time_progress = self.period.time_progress()
        self.pace = pace(self.completion, self.time_progress)


def figures(indicator, units, period, tree=None):
    """{unit id: Figure} for many units: two actual queries and one target query."""
    now = actuals(indicator, units, period, tree)
    before = actuals(indicator, units, period.same_period_last_year(), tree)
    targets = targets_by_unit(indicator, units, period.year)
    return {
        u.pk: Figure(
            indicator,
            u,
            period,
            now[u.pk],
            annual_target(targets.get(u.pk), indicator),
            period_target(targets.get(u.pk), indicator, period),
            before[u.pk],
        )
        for u in units
    }


def figure(indicator, unit, period):
    return figures(indicator, [unit], period)[unit.pk]


# Assessment ---------------------------------------------------------------------------------


def score(completions, weights, bonus=ZERO):
    """Σ weight × min(completion, cap) ÷ 100 + bonus points, rounded half-up to 2 places.

    `completions` maps an indicator id to its completion rate in percent (None counts 0),
    `weights` maps an indicator id to (weight, cap or None)."""
    total = ZERO
    for indicator_id, (weight, cap) in weights.items():
        rate = completions.get(indicator_id) or ZERO
        if cap is not None:
            rate = min(rate, cap)
        total += Decimal(weight) * rate / 100
    return quantities.round_half_up(total + (bonus or ZERO), 2)


def figures_hash(rows):
    """A hash of a unit's figures, to tell later whether the records changed."""
    text = json.dumps(sorted((str(k), str(a), str(t)) for k, a, t in rows))
    return hashlib.sha256(text.encode()).hexdigest()
