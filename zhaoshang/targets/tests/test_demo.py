"""The demo loader gives every unit targets whose months add up to the year."""

from decimal import Decimal

from zhaoshang.organization.models import Unit
from zhaoshang.targets.demo import load_targets
from zhaoshang.targets.models import IndicatorWeight, Target


def test_load_targets(world):
    load_targets(Unit.objects.filter(path__startswith=world.district.path), year=2026)
    targets = Target.objects.filter(year=2026)
    assert targets.filter(unit=world.street_a).count() == 5
    for target in targets:
        assert sum(Decimal(p) for p in target.parts) == target.annual
    assert IndicatorWeight.objects.count() == 5
    assert Unit.objects.get(pk=world.street_a.pk).peer_group is not None
