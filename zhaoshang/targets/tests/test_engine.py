"""The engine against hand-computed figures, the counting rules, certification, rankings."""

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.core.periods import AHEAD, Period, pace
from zhaoshang.core.quantities import growth, percent
from zhaoshang.organization.choices import UnitKind
from zhaoshang.organization.models import PeerGroup, Unit
from zhaoshang.pipeline.models import Evidence, Milestone, Project
from zhaoshang.targets import assessment, engine
from zhaoshang.targets.models import (
    CapitalIncrease,
    Certification,
    Indicator,
    ReportedValue,
    SnapshotKind,
    Target,
)

D = datetime.date
COUNTER = itertools.count()


def project(unit, signed=None, stage="signed", **fields):
    p = Project.objects.create(name="项目", responsible_unit=unit, stage=stage, **fields)
    if signed:
        Milestone.objects.create(project=p, stage="signed", date=signed)
    return p


def test_standard_indicators_exist_and_cover_the_domain(db):
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert len(codes) >= 15
    for code in (
        "contracted_fdi",
        "utilized_fdi",
        "returning_capital",
        "signed_over_1b",
        "fortune500_projects",
        "started_projects",
        "trips",
        "visits",
        "hosted_visits",
        "leads",
        "above_scale_tenants",
        "land_industrial",
        "domestic_outside_city",
    ):
        assert code in codes
    for ind in Indicator.objects.all():
        ind.full_clean()


def test_fdi_completion_148_51_half_up_with_conversion(world):
    ind = Indicator.objects.get(code="utilized_fdi")
    Target.objects.create(
        indicator=ind,
        unit=world.street_a,
        year=2026,
        annual=Decimal("0.4"),
        unit_of_measure="亿美元",
    )
    for month, value in ((1, "2000.1"), (2, "1940.05"), (3, "2000.05")):
        ReportedValue.objects.create(
            indicator=ind, unit=world.street_a, year=2026, month=month, value=Decimal(value)
        )
    fig = engine.figure(ind, world.street_a, Period.parse("2026Q1"))
    assert fig.actual == Decimal("5940.2")
    assert fig.target == Decimal("4000")
    assert fig.completion == Decimal("148.51")  # banker's rounding would give 148.50
    assert f"{fig.completion}%" == "148.51%"


def test_21_certified_projects_against_18(world):
    ind = Indicator.objects.get(code="certified_over_100m")
    Target.objects.create(indicator=ind, unit=world.district, year=2026, annual=18)
    ev_user = world.bureau
    for _i in range(21):
        p = project(world.street_a, D(2026, 2, 1), total_investment=Decimal("12000"))
        ev = Evidence.objects.create(project=p, kind="approval", file="evidence/x.pdf")
        Certification.objects.create(
            project=p, indicator=ind, date=D(2026, 3, 1), certified_by=ev_user, evidence=ev
        )
    fig = engine.figure(ind, world.district, Period.whole_year(2026))
    assert fig.actual == 21
    assert fig.completion == Decimal("116.67")


def test_growth_and_pace_hand_computed():
    assert growth(Decimal(11322), Decimal(8500)) == Decimal("33.20")
    assert pace(Decimal(71), Period.half(2026, 1).time_progress()) == AHEAD
    assert percent(21, 18) == Decimal("116.67")


def test_signed_counts_once_at_first_signing_and_increase_counts_added_amount(world):
    ind = Indicator.objects.get(code="signed_amount")  # 亿元, from 万元
    p = project(world.street_a, D(2026, 1, 10), total_investment=Decimal("15000"))
    Milestone.objects.create(project=p, stage="signed", date=D(2026, 3, 5))  # signed again
    CapitalIncrease.objects.create(project=p, date=D(2026, 3, 20), amount=Decimal("5000"))
    jan = engine.actual(ind, world.district, Period.month(2026, 1))
    mar = engine.actual(ind, world.district, Period.month(2026, 3))
    year = engine.actual(ind, world.district, Period.whole_year(2026))
    assert (jan, mar, year) == (Decimal("1.5"), Decimal("0.5"), Decimal("2"))
    count = Indicator.objects.get(code="signed_projects")
    assert engine.actual(count, world.district, Period.month(2026, 3)) == 0
    assert engine.actual(count, world.district, Period.whole_year(2026)) == 1


def test_monthly_trend_equals_month_by_month_actuals(world):
    ind = Indicator.objects.get(code="signed_amount")
    p = project(world.community_a, D(2026, 1, 10), total_investment=Decimal("15000"))
    Milestone.objects.create(project=p, stage="signed", date=D(2026, 3, 5))  # counts once
    Milestone.objects.create(project=p, stage="signed", date=D(2026, 1, 10))  # same day again
    project(world.street_a, D(2026, 3, 1), total_investment=Decimal("700"))
    project(world.street_b, D(2026, 3, 1), total_investment=Decimal("900"))
    project(world.street_a, D(2025, 12, 31), total_investment=Decimal("1"))
    CapitalIncrease.objects.create(project=p, date=D(2026, 6, 20), amount=Decimal("5000"))
    for code in ("signed_amount", "signed_projects", "fortune500_projects"):
        ind = Indicator.objects.get(code=code)
        expected = [engine.actual(ind, world.street_a, Period.month(2026, m)) for m in range(1, 13)]
        assert engine.monthly(ind, world.street_a, 2026) == expected
    assert engine.monthly(Indicator.objects.get(code="signed_amount"), world.street_a, 2026)[
        :6
    ] == [Decimal("1.5"), 0, Decimal("0.07"), 0, 0, Decimal("0.5")]


def test_drill_down_sums_to_the_figure(world):
    ind = Indicator.objects.get(code="signed_amount")
    project(world.street_a, D(2026, 2, 1), total_investment=Decimal("12345.67"))
    project(world.street_b, D(2026, 2, 3), total_investment=Decimal("800"))
    p = project(world.community_a, D(2025, 2, 3), total_investment=Decimal("1"))
    CapitalIncrease.objects.create(project=p, date=D(2026, 2, 9), amount=Decimal("99"))
    period = Period.parse("2026C02")
    figure = engine.actual(ind, world.district, period)
    sections = engine.records(ind, world.district, period, world.bureau)
    assert sum(sub for _s, _qs, sub in sections) == figure == Decimal("1.324467")
    rows = sum(qs.count() for _s, qs, _sub in sections)
    assert rows == 3


def test_certified_only_counts_after_certification_and_withdrawal_keeps_snapshot(world):
    ind = Indicator.objects.get(code="certified_over_100m")
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    Unit.objects.filter(pk__in=[world.street_a.pk, world.street_b.pk]).update(peer_group=group)
    for street in (world.street_a, world.street_b):
        Target.objects.create(indicator=ind, unit=street, year=2026, annual=2)
    p = project(world.street_a, D(2026, 2, 1), total_investment=Decimal("20000"))
    project(world.street_b, D(2026, 2, 1), total_investment=Decimal("20000"))
    period = Period.whole_year(2026)
    assert engine.actual(ind, world.street_a, period) == 0  # not certified: not counted
    ev = Evidence.objects.create(project=p, kind="approval", file="evidence/x.pdf")
    cert = Certification.objects.create(
        project=p, indicator=ind, date=D(2026, 4, 1), certified_by=world.bureau, evidence=ev
    )
    assert engine.actual(ind, world.street_a, period) == 1
    assert engine.actual(ind, world.street_a, Period.parse("2026C03")) == 0  # not yet
    snapshot = assessment.take_snapshot(group, period, SnapshotKind.MONTHLY)
    entries = list(snapshot.entries.order_by("position").values_list("unit_id", "score"))
    assert entries[0] == (world.street_a.pk, Decimal("0.50"))
    cert.withdrawn_on = D(2026, 6, 1)
    cert.withdrawn_by = world.bureau
    cert.save()
    assert engine.actual(ind, world.street_a, period) == 0
    assert engine.actual(ind, world.street_a, Period.parse("2026C04")) == 1  # past stays
    again = list(snapshot.entries.order_by("position").values_list("unit_id", "score"))
    assert again == entries
    assert assessment.changed_units(snapshot) == {world.street_a.pk}


def test_ranking_movement_since_last_snapshot(world):
    ind = Indicator.objects.get(code="signed_projects")
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    Unit.objects.filter(pk__in=[world.street_a.pk, world.street_b.pk]).update(peer_group=group)
    for street in (world.street_a, world.street_b):
        Target.objects.create(indicator=ind, unit=street, year=2026, annual=4)
    project(world.street_a, D(2026, 1, 5))
    first = assessment.take_snapshot(group, Period.whole_year(2026), SnapshotKind.WEEKLY)
    project(world.street_b, D(2026, 1, 6))
    project(world.street_b, D(2026, 1, 7))
    units = Unit.objects.filter(peer_group=group)
    rows = assessment.with_movement(assessment.rank(units, Period.whole_year(2026)), first)
    assert [(r.unit.code, r.position, r.movement) for r in rows] == [("B", 1, 1), ("A", 2, -1)]


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parents=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=8),
    records=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=8),
            st.integers(min_value=1, max_value=12),
            st.integers(min_value=0, max_value=99999),
        ),
        max_size=25,
    ),
)
def test_parent_equals_children_plus_own(parents, records):
    """For random trees and records: parent = own + Σ children, for each indicator and period."""
    from zhaoshang.activities.models import Activity

    root = Unit.objects.create(code=f"R{next(COUNTER)}", name="根", kind=UnitKind.DISTRICT)
    units = [root]
    for i, p in enumerate(parents):
        units.append(
            Unit.objects.create(
                code=f"{root.code}-{i}",
                name=f"单位{i}",
                kind=UnitKind.STREET,
                parent=units[p % len(units)],
            )
        )
    signed = Indicator.objects.get(code="signed_amount")
    trips = Indicator.objects.get(code="trips")
    fdi = Indicator.objects.get(code="utilized_fdi")
    for n, (u, month, amount) in enumerate(records):
        unit = units[u % len(units)]
        project(unit, D(2026, month, 1), total_investment=Decimal(amount) / 100)
        Activity.objects.create(unit=unit, kind="trip", title="出访", start_date=D(2026, month, 2))
        ReportedValue.objects.get_or_create(
            indicator=fdi,
            unit=unit,
            year=2026,
            month=month,
            defaults={"value": Decimal(amount) / 7 + n},
        )
    for ind in (signed, trips, fdi):
        for code in ("2026M03", "2026Q2", "2026H1", "2026Y", "2026C08"):
            period = Period.parse(code)
            tree = engine.UnitTree([root.path])
            rolled = engine.actuals(ind, units, period, tree)
            own = engine.own_totals(ind, period, [root.path])
            for unit in units:
                children = [c for c in units if c.parent_id == unit.pk]
                expected = engine._convert(ind, own.get(unit.pk, 0)) + sum(
                    (rolled[c.pk] for c in children), Decimal(0)
                )
                assert rolled[unit.pk] == expected


def test_figures_hash_is_the_hash_of_the_json_text_stored_snapshots_hold():
    import hashlib
    import json

    def by_json(rows):
        text = json.dumps(sorted((str(k), str(a), str(t)) for k, a, t in rows))
        return hashlib.sha256(text.encode()).hexdigest()

    cases = [
        [("signed_amount", Decimal("12.3400"), Decimal("10")), ("trips", 3, None)],
        [("b", Decimal("-0.5"), Decimal("1E+2")), ("a", 0, 0)],
        [('quo"te', 1, 2), ("back\\slash", 1, 2)],  # escaped by json.dumps
        [("签约", 1, 2)],  # not ASCII: json.dumps writes \\u escapes
        [("a[b]", 1, 2), ("c", "[", "]")],  # brackets need no escaping
        [("tab\t", 1, 2), ("del\x7f", 1, 2)],  # control characters are escaped
        [],
    ]
    for rows in cases:
        assert engine.figures_hash(rows) == by_json(rows), rows
