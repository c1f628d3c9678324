"""The fast paths of the engine (monthly cubes, one grouped query for many indicators, a
memo per page) give exactly the figures of the plain per-period queries, on a generated
district with every standard indicator."""

import datetime
import io

from django.core.management import call_command
from django.db.models import Count, Sum

from zhaoshang.core.periods import Period
from zhaoshang.organization.models import Unit
from zhaoshang.pipeline.models import Milestone, refresh_first_milestones
from zhaoshang.targets import engine
from zhaoshang.targets.models import Indicator

PERIODS = [Period.cumulative(2026, 8), Period.quarter(2025, 2), Period.month(2026, 3)]


def plain_actuals(indicator, units, period):
    """The figure by the definition: the period's own records, grouped by unit, no cube."""
    tree = engine.UnitTree(None)
    totals = {}
    for section in engine.sections(indicator, period):
        fk = engine._unit_fk(section)
        value = Sum(section.amount) if section.amount else Count("pk")
        for unit_id, total in section.queryset.order_by().values_list(fk).annotate(v=value):
            totals[unit_id] = totals.get(unit_id, 0) + engine.quantities.to_decimal(total or 0)
    rolled = tree.rollup(totals)
    return {u.pk: engine._convert(indicator, rolled.get(u.pk, 0)) for u in units}


def test_batched_cubes_equal_plain_queries(db):
    call_command("generate", scale="district", seed=11, stdout=io.StringIO())
    district = Unit.objects.filter(parent__isnull=True).get()
    units = list(Unit.objects.filter(depth__lte=3).order_by("path"))
    indicators = list(Indicator.objects.filter(certified_only=False))
    assert len(indicators) >= 15
    nonzero = 0
    for period in PERIODS:
        with engine.memo():
            engine.prefetch(indicators, period.year, engine._widened(engine._roots(units)))
            fast = {ind.pk: engine.actuals(ind, units, period) for ind in indicators}
        for ind in indicators:
            expected = plain_actuals(ind, units, period)
            assert fast[ind.pk] == expected, (ind.code, period.code)
            nonzero += sum(1 for v in expected.values() if v)
    assert nonzero > 100  # the comparison is not between empty figures
    for ind in indicators[:3]:
        by_month = [
            plain_actuals(ind, [district], Period.month(2026, m))[district.pk] for m in range(1, 13)
        ]
        assert engine.monthly(ind, district, 2026) == by_month
        assert any(by_month)


def test_first_milestone_mark_follows_inserts_and_deletes(db):
    call_command("generate", scale="district", seed=3, stdout=io.StringIO())
    first = Milestone.objects.filter(is_first=True).order_by("?").first()
    project, stage = first.project, first.stage
    earlier = Milestone.objects.create(
        project=project, stage=stage, date=first.date.replace(year=first.date.year - 1)
    )
    first.refresh_from_db()
    assert earlier.is_first is False  # the instance is stale; the row is what counts
    earlier.refresh_from_db()
    assert earlier.is_first and not first.is_first
    earlier.delete()
    first.refresh_from_db()
    assert first.is_first
    # The mark matches its definition everywhere after a full refresh.
    Milestone.objects.update(is_first=False)
    refresh_first_milestones()
    pairs = Milestone.objects.values_list("project", "stage").distinct().count()
    assert Milestone.objects.filter(is_first=True).count() == pairs


def test_cached_cubes_are_not_read_after_a_record_changes(world, monkeypatch):
    from decimal import Decimal

    from zhaoshang.core import changelog
    from zhaoshang.core.models import DataVersion

    # The test's transaction stands for committed data: figures may be shared.
    monkeypatch.setattr(changelog, "serial_uncommitted", lambda conn: False)
    from zhaoshang.pipeline.models import Project

    indicator = Indicator.objects.get(code="signed_amount")
    period = Period.whole_year(2026)

    def figure_in_a_new_block():
        with engine.memo():
            return engine.actual(indicator, world.district, period)

    project = Project.objects.create(
        name="甲", responsible_unit=world.street_a, stage="signed", total_investment=10000
    )
    Milestone.objects.create(project=project, stage="signed", date=datetime.date(2026, 3, 1))
    assert figure_in_a_new_block() == Decimal(1)
    version = DataVersion.current()
    assert figure_in_a_new_block() == Decimal(1)  # served from the process-wide cache
    assert DataVersion.current() == version
    project.total_investment = 30000
    project.save()  # a recorded change: a new version, so the cube is read again
    assert DataVersion.current() != version
    assert figure_in_a_new_block() == Decimal(3)
    # A write that bypasses the ORM must bump the version itself (the generator does).
    Project.objects.filter(pk=project.pk).update(total_investment=50000)
    assert figure_in_a_new_block() == Decimal(3)  # stale until the version moves
    DataVersion.bump()
    assert figure_in_a_new_block() == Decimal(5)
