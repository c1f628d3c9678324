"""Demo targets: every unit of the demo district gets this year's targets for the main
indicators, split evenly by month, so the dashboard shows completion rates and a ranking.

Called from organization/demo.py after the data set is generated:
    from zhaoshang.targets.demo import load_targets; load_targets(units.values())
"""

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.periods import Period
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass
from zhaoshang.targets import engine
from zhaoshang.targets.models import Indicator, IndicatorWeight, Target

DEMO_WEIGHTS = {
    "signed_amount": 40,
    "signed_projects": 20,
    "signed_over_100m": 20,
    "trips": 10,
    "leads": 10,
}


def load_targets(units, year=None):
    """Targets of `year` (default this year) at 120% of last year's actual, rounded up."""
    year = year or timezone.localdate().year
    units = list(units)
    last_year = Period.whole_year(year - 1)
    indicators = list(Indicator.objects.filter(code__in=DEMO_WEIGHTS))
    tree = engine.UnitTree(engine._roots(units))
    for indicator in indicators:
        before = engine.actuals(indicator, units, last_year, tree)
        rows = []
        for unit in units:
            annual = (before[unit.pk] * Decimal("1.2")).quantize(Decimal(1)) or Decimal(1)
            share = (annual / 12).quantize(Decimal("0.0001"))
            parts = [share] * 11 + [annual - share * 11]
            rows.append(
                Target(
                    indicator=indicator,
                    unit=unit,
                    year=year,
                    annual=annual,
                    parts=[str(p) for p in parts],
                )
            )
        Target.objects.bulk_create(rows, ignore_conflicts=True)
    streets = [u for u in units if u.kind in ("street", "town", "park")]
    if streets:
        owner = Unit.objects.filter(pk=streets[0].parent_id).first()
        group, _ = PeerGroup.objects.get_or_create(owner_unit=owner, name="街镇园区组")
        klass, _ = UnitClass.objects.get_or_create(owner_unit=owner, name="街镇园区")
        Unit.objects.filter(Q(pk__in=[u.pk for u in streets])).update(
            peer_group=group, unit_class=klass
        )
        for indicator in indicators:
            IndicatorWeight.objects.get_or_create(
                unit_class=klass,
                indicator=indicator,
                defaults={"weight": DEMO_WEIGHTS[indicator.code], "cap": Decimal(120)},
            )
