"""A cached cube is brought up to date from the change log: after changes of every kind of
record, the figures equal those read afresh, and only the changed units were read again
(or the whole cube, where the log cannot say which units changed)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhaoshang.activities.models import Activity
from zhaoshang.carriers.models import LandParcel
from zhaoshang.core import changelog
from zhaoshang.core.periods import Period
from zhaoshang.organization.models import Unit
from zhaoshang.pipeline.models import Lead, Milestone, Project
from zhaoshang.targets import engine
from zhaoshang.targets.models import (
    CapitalIncrease,
    Indicator,
    ReportedValue,
    Source,
    StoredCube,
)

REAL_SERIAL_UNCOMMITTED = changelog.serial_uncommitted
# The records below are dated in 2026, but a lead's date is its creation: this year so far.
TODAY = timezone.localdate()
PERIODS = [
    Period.cumulative(2026, 11),
    Period.quarter(2025, 4),
    Period.cumulative(TODAY.year, TODAY.month),
]


@pytest.fixture
def district(db, monkeypatch):
    call_command("generate", scale="district", seed=5, stdout=io.StringIO())
    # pytest-django runs each test in one transaction that never commits; here it stands
    # for committed data, so figures may be shared between memo() blocks as in production.
    monkeypatch.setattr(changelog, "serial_uncommitted", lambda conn: False)
    engine.clear_shared_cubes()
    return Unit.objects.filter(parent__isnull=True).get()


def figures(indicators, units):
    result = {}
    for period in PERIODS:
        with engine.memo():
            engine.prefetch(indicators, period.year, engine._widened(engine._roots(units)))
            for ind in indicators:
                result[ind.code, period.code] = engine.actuals(ind, units, period)
    return result


def afresh(indicators, units):
    """The figures read from the records whole (then forgotten again)."""
    engine.forget_stored_cubes()
    try:
        return figures(indicators, units)
    finally:
        engine.forget_stored_cubes()


def streets(district):
    return list(Unit.objects.filter(path__startswith=district.path, kind="street").order_by("path"))


def in_2026(qs, field):
    return qs.filter(
        **{f"{field}__gte": datetime.date(2026, 1, 1), f"{field}__lte": datetime.date(2026, 11, 30)}
    )


def test_changes_of_every_kind_reread_only_their_units(district):
    units = list(Unit.objects.order_by("path"))
    indicators = list(Indicator.objects.filter(certified_only=False))
    a, b = streets(district)[:2]
    before = figures(indicators, units)
    read = engine.STATS["read"]
    assert figures(indicators, units) == before  # unchanged: served as cached
    assert engine.STATS["read"] == read

    project = Project.objects.create(
        name="刷新测试项目",
        responsible_unit=a,
        stage="signed",
        total_investment=Decimal("12345.67"),
    )
    Milestone.objects.create(project=project, stage="signed", date=datetime.date(2026, 3, 1))
    signed = in_2026(Milestone.objects.filter(stage="signed", is_first=True), "date").first()
    other = signed.project
    other.total_investment = (other.total_investment or 0) + Decimal("1000.5")
    other.save()
    CapitalIncrease.objects.create(
        project=other, date=datetime.date(2026, 5, 2), amount=Decimal("88.8")
    )
    activity = in_2026(Activity.objects.all(), "start_date").first()
    activity.start_date = datetime.date(2026, 2, 14)
    activity.save()
    in_2026(
        Activity.objects.filter(kind="trip").exclude(pk=activity.pk), "start_date"
    ).last().delete()
    Lead.objects.create(enterprise_name="刷新测试线索", unit=b, channel="event")
    parcel = LandParcel.objects.filter(sold_date__isnull=False).order_by("-sold_date").first()
    parcel.sold_date = datetime.date(2026, 4, 30)
    parcel.area_mu = parcel.area_mu + Decimal("3.25")
    parcel.save()
    reported = Indicator.objects.filter(source=Source.REPORTED).first()
    ReportedValue.objects.create(
        indicator=reported, unit=b, year=2026, month=6, value=Decimal("1234.5678")
    )

    read, refreshed = engine.STATS["read"], engine.STATS["refreshed"]
    batched = engine.STATS["batched"]
    after = figures(indicators, units)
    assert engine.STATS["read"] == read  # no cube was read whole
    assert engine.STATS["refreshed"] > refreshed
    # The project and the activity cubes re-read their changed units in one query each.
    assert engine.STATS["batched"] > batched
    assert after == afresh(indicators, units)
    changed = {key for key in after if after[key] != before[key]}
    for code in ("signed_amount", "signed_projects", "trips", "leads", reported.code):
        assert any(c == code for c, _period in changed), code


def test_a_moved_record_rereads_its_old_and_new_unit(district):
    units = list(Unit.objects.order_by("path"))
    indicators = list(Indicator.objects.filter(certified_only=False))
    a, b = streets(district)[:2]
    before = figures(indicators, units)
    signed = in_2026(Milestone.objects.filter(stage="signed", is_first=True), "date")
    project = signed.filter(project__responsible_unit=a).first().project
    project.responsible_unit = b  # its milestones' rows move from a to b with it
    project.save()
    entry = changelog_entry(project)
    assert (entry.unit_id, entry.previous_unit_id) == (b.pk, a.pk)
    activity = in_2026(Activity.objects.filter(unit=b, kind="trip"), "start_date").first()
    activity.unit = a
    activity.save()
    read, refreshed = engine.STATS["read"], engine.STATS["refreshed"]
    after = figures(indicators, units)
    assert engine.STATS["read"] == read  # two units read again, not the whole family
    assert engine.STATS["refreshed"] > refreshed
    assert after == afresh(indicators, units)
    signed_now = after["signed_projects", PERIODS[0].code]
    signed_before = before["signed_projects", PERIODS[0].code]
    assert signed_now[a.pk] == signed_before[a.pk] - 1
    assert signed_now[b.pk] == signed_before[b.pk] + 1
    assert signed_now[district.pk] == signed_before[district.pk]


def changelog_entry(record):
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeLogEntry

    return ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    ).latest("serial")


def test_a_move_without_a_previous_unit_reads_the_whole_family_again(district):
    units = list(Unit.objects.order_by("path"))
    indicators = list(Indicator.objects.filter(certified_only=False))
    a, b = streets(district)[:2]
    figures(indicators, units)
    signed = in_2026(Milestone.objects.filter(stage="signed", is_first=True), "date")
    project = signed.filter(project__responsible_unit=a).first().project
    project.responsible_unit = b
    project.save()
    from zhaoshang.core.models import ChangeLogEntry

    ChangeLogEntry.objects.filter(serial__isnull=False).update(previous_unit=None)  # as before
    read = engine.STATS["read"]
    after = figures(indicators, units)
    assert engine.STATS["read"] > read
    assert after == afresh(indicators, units)


def test_an_enterprises_flag_rereads_the_units_of_its_projects_and_tenancies(district):
    units = list(Unit.objects.order_by("path"))
    indicators = list(Indicator.objects.filter(certified_only=False))
    signed = in_2026(Milestone.objects.filter(stage="signed", is_first=True), "date")
    investor = (
        signed.filter(project__investor__isnull=False, project__fortune500=False)
        .first()
        .project.investor
    )
    before = figures(indicators, units)
    investor.fortune_global_500 = not investor.fortune_global_500  # 500强 of its projects
    investor.save()
    read, refreshed = engine.STATS["read"], engine.STATS["refreshed"]
    flagged = figures(indicators, units)
    assert engine.STATS["read"] == read
    assert engine.STATS["refreshed"] > refreshed
    assert flagged == afresh(indicators, units)
    key = ("fortune500_projects", PERIODS[0].code)
    assert flagged[key] != before[key]

    from zhaoshang.carriers.models import BuildingTenant

    flagged = figures(indicators, units)  # afresh() emptied the cache: fill it again
    tenant = in_2026(BuildingTenant.objects.all(), "move_in_date").first()
    tenant.enterprise.above_scale = not tenant.enterprise.above_scale  # 规上 of its tenancy
    tenant.enterprise.save()
    read = engine.STATS["read"]
    rated = figures(indicators, units)
    assert engine.STATS["read"] == read
    assert rated == afresh(indicators, units)
    key = ("above_scale_tenants", PERIODS[0].code)
    assert rated[key] != flagged[key]


def test_a_new_process_starts_from_the_stored_cubes(district):
    units = list(Unit.objects.order_by("path"))
    indicators = list(Indicator.objects.filter(certified_only=False))
    figures(indicators, units)
    assert StoredCube.objects.exists()
    street = streets(district)[2]
    Lead.objects.create(enterprise_name="新进程测试", unit=street, channel="event")
    activity = in_2026(Activity.objects.filter(kind="trip"), "start_date").first()
    activity.delete()
    engine.clear_shared_cubes()  # as a restarted worker: nothing in memory
    read, loaded = engine.STATS["read"], engine.STATS["loaded"]
    now = figures(indicators, units)
    assert engine.STATS["read"] == read
    assert engine.STATS["loaded"] > loaded
    assert now == afresh(indicators, units)
    # A bulk writer's new token: stored cubes no longer serve.
    from zhaoshang.core.models import DataVersion

    DataVersion.bump()
    engine.clear_shared_cubes()
    read = engine.STATS["read"]
    figures(indicators, units)
    assert engine.STATS["read"] > read
    token, _serial = DataVersion.current()
    assert set(StoredCube.objects.values_list("token", flat=True)) == {token}  # old ones pruned


def test_the_generator_leaves_this_years_cubes_current(db, monkeypatch):
    monkeypatch.setattr(changelog, "serial_uncommitted", lambda conn: False)
    engine.clear_shared_cubes()
    out = io.StringIO()
    call_command("generate", scale="district", seed=5, stdout=out)
    assert "figures" in out.getvalue()
    assert StoredCube.objects.exists()
    engine.clear_shared_cubes()  # a web worker starting after the generator
    root = Unit.objects.get(parent__isnull=True)
    indicators = list(Indicator.objects.filter(certified_only=False))
    this_year = Period.cumulative(timezone.localdate().year, timezone.localdate().month)
    read = engine.STATS["read"]
    with engine.memo():
        engine.prefetch(indicators, this_year.year, [root.path])
        warm = {ind.pk: engine.actuals(ind, [root], this_year) for ind in indicators}
    assert engine.STATS["read"] == read  # every cube came from the stored ones
    last_year = Period.quarter(this_year.year - 1, 4)  # held by this year's cubes too
    with engine.memo():
        earlier = {ind.pk: engine.actuals(ind, [root], last_year) for ind in indicators}
    assert engine.STATS["read"] == read
    engine.forget_stored_cubes()
    with engine.memo():
        assert earlier == {ind.pk: engine.actuals(ind, [root], last_year) for ind in indicators}
    engine.forget_stored_cubes()
    with engine.memo():
        assert warm == {ind.pk: engine.actuals(ind, [root], this_year) for ind in indicators}


def test_figures_read_in_a_transaction_that_changed_records_are_not_shared(district, monkeypatch):
    monkeypatch.setattr(changelog, "serial_uncommitted", REAL_SERIAL_UNCOMMITTED)
    from django.db import connection

    street = streets(district)[0]
    indicator = Indicator.objects.get(code="signed_amount")
    connection.zs_uncommitted_serial = False  # as if the generated data were committed
    with engine.memo():
        engine.actual(indicator, street, Period.whole_year(2026))
    assert engine._shared  # nothing written yet in this transaction: shared
    engine.forget_stored_cubes()
    Lead.objects.create(enterprise_name="未提交", unit=street, channel="event")
    with engine.memo():
        engine.actual(indicator, street, Period.whole_year(2026))
    assert not engine._shared
    assert not StoredCube.objects.exists()


def test_a_units_change_keeps_the_cubes_and_rolls_up_the_new_tree(district):
    """Cubes hold what each unit owns itself: renaming or moving a unit reads none of them
    again, yet every subtree's figures follow the new tree."""
    indicators = list(Indicator.objects.filter(certified_only=False))
    a, b = streets(district)[:2]
    figures(indicators, list(Unit.objects.order_by("path")))
    a.name = a.name + "（更名）"
    a.save()
    a.parent = b  # a street's communities now count in b
    a.save()
    units = list(Unit.objects.order_by("path"))
    read = engine.STATS["read"]
    moved = figures(indicators, units)
    assert engine.STATS["read"] == read
    assert moved == afresh(indicators, units)
    # b's figure now counts a's projects: as many as the records under b's new subtree.
    b = Unit.objects.get(pk=b.pk)
    assert Unit.objects.get(pk=a.pk).path.startswith(b.path)
    period = Period.cumulative(2026, 11)
    expected = in_2026(
        Milestone.objects.filter(
            stage="signed", is_first=True, project__responsible_unit__path__startswith=b.path
        ),
        "date",
    ).count()
    assert expected
    assert moved["signed_projects", period.code][b.pk] == expected


def test_a_subtrees_figures_are_cut_from_the_whole_trees_cubes(district):
    indicators = list(Indicator.objects.filter(certified_only=False))
    street = streets(district)[1]
    figures(indicators, list(Unit.objects.order_by("path")))  # the whole tree's cubes
    Activity.objects.filter(unit=street, start_date__year=2026).first().delete()
    part = list(Unit.objects.filter(path__startswith=street.path).order_by("path"))
    read, cut = engine.STATS["read"], engine.STATS["cut"]
    got = figures(indicators, part)
    assert engine.STATS["read"] == read  # no subtree cube read from the records
    assert engine.STATS["cut"] > cut
    assert got == afresh(indicators, part)


def test_an_indicators_cube_follows_its_rule_not_its_name(
    district, django_capture_on_commit_callbacks
):
    units = list(Unit.objects.order_by("path"))
    trips = Indicator.objects.get(code="trips")
    figures([trips], units)
    trips.name = "外出招商（次）"
    trips.sort_order += 1
    trips.save()  # a rename: the same counting rule, the same cube
    read = engine.STATS["read"]
    figures([trips], units)
    assert engine.STATS["read"] == read
    # A new rule is read when it is saved (on commit), not by the first page showing it.
    with django_capture_on_commit_callbacks(execute=True):
        both = Indicator.objects.create(
            code="trips_and_visits",
            name="外出招商和拜访次数",
            unit_of_measure="次",
            source=Source.ACTIVITY_COUNT,
            filters={"activity_kinds": ["visit", "trip"]},
        )
    read = engine.STATS["read"]
    got = figures([both], units)
    assert engine.STATS["read"] == read
    assert got == afresh([both], units)
    visits = Indicator.objects.get(code="visits")
    apart = afresh([trips, visits], units)
    for (_code, period), values in got.items():
        for unit_id, value in values.items():
            assert value == apart["trips", period][unit_id] + apart["visits", period][unit_id]


def test_the_nightly_warm_leaves_a_new_years_cubes_stored(district):
    out = io.StringIO()
    call_command("warm_figures", year=2027, stdout=out)
    assert "2027:" in out.getvalue()
    engine.clear_shared_cubes()  # a worker on the first morning of the year
    indicators = list(Indicator.objects.filter(certified_only=False))
    units = list(Unit.objects.order_by("path"))
    january = Period.month(2027, 1)
    read = engine.STATS["read"]
    with engine.memo():
        engine.prefetch(indicators, 2027, [district.path])
        warm = {ind.code: engine.actuals(ind, units, january) for ind in indicators}
    assert engine.STATS["read"] == read
    engine.forget_stored_cubes()
    with engine.memo():
        assert warm == {ind.code: engine.actuals(ind, units, january) for ind in indicators}


def test_the_nightly_warm_covers_last_years_comparison_too(district):
    out = io.StringIO()
    call_command("warm_figures", stdout=out)
    this_year = TODAY.year
    assert f"{this_year}:" in out.getvalue() and f"{this_year - 1}:" in out.getvalue()
    engine.clear_shared_cubes()
    indicators = list(Indicator.objects.filter(certified_only=False))
    units = list(Unit.objects.order_by("path"))
    last_year = Period.whole_year(this_year - 1)  # and, for its growth, the year before
    read = engine.STATS["read"]
    with engine.memo():
        got = {ind.code: engine.figures(ind, units, last_year) for ind in indicators}
    assert engine.STATS["read"] == read
    engine.forget_stored_cubes()
    with engine.memo():
        fresh = {ind.code: engine.figures(ind, units, last_year) for ind in indicators}
    for code, by_unit in got.items():
        for unit_id, fig in by_unit.items():
            expected = fresh[code][unit_id]
            assert (fig.actual, fig.last_year, fig.growth) == (
                expected.actual,
                expected.last_year,
                expected.growth,
            ), code


def test_more_changed_units_than_the_limit_read_the_cube_whole(district, monkeypatch):
    units = list(Unit.objects.order_by("path"))
    trips = Indicator.objects.get(code="trips")
    figures([trips], units)
    monkeypatch.setattr(engine, "REFRESH_MAX_UNITS", 2)
    for street in streets(district)[:3]:  # three units: over the limit
        activity = in_2026(Activity.objects.filter(unit=street, kind="trip"), "start_date").first()
        activity.delete()
    read, refreshed = engine.STATS["read"], engine.STATS["refreshed"]
    now = figures([trips], units)
    assert engine.STATS["read"] > read
    assert engine.STATS["refreshed"] == refreshed
    assert now == afresh([trips], units)


def test_a_new_worker_reads_the_figures_before_its_first_request(district):
    from zhaoshang.warmup import warm_worker

    engine.warm()  # what the generator left: stored cubes
    engine.clear_shared_cubes()  # a new gunicorn worker
    loaded = engine.STATS["loaded"]
    import gc

    try:
        warm_worker()  # gunicorn.conf.py's post_worker_init
        assert gc.get_freeze_count() > 0  # what it loaded is out of the collector's way
    finally:
        gc.unfreeze()  # this is a test process, not a worker
    assert engine.STATS["loaded"] > loaded
    indicators = list(Indicator.objects.filter(certified_only=False))
    read, loaded = engine.STATS["read"], engine.STATS["loaded"]
    with engine.memo():
        engine.prefetch(indicators, TODAY.year, [district.path])
        for ind in indicators:
            engine.actuals(ind, [district], Period.cumulative(TODAY.year, TODAY.month))
    assert (engine.STATS["read"], engine.STATS["loaded"]) == (read, loaded)


def test_a_cube_read_for_one_top_unit_is_read_again_once_another_merges_under_it(district):
    """While a second top unit exists, the first top's cube holds its own subtree only; once
    the second moves under the first, that cube would miss the units that came with it."""
    indicators = list(Indicator.objects.filter(certified_only=False))
    a = streets(district)[0]
    other = Unit.objects.create(name="另一顶层", code="other-top", kind=district.kind)
    a.parent = other  # a's records now lie under the second top unit
    a.save()
    mine = list(Unit.objects.filter(path__startswith=district.path).order_by("path"))
    figures(indicators, mine)  # the district's cubes, read filtered to its subtree
    other.parent = district  # merged under the first: one top unit again
    other.save()
    units = list(Unit.objects.order_by("path"))
    assert figures(indicators, units) == afresh(indicators, units)


def test_a_saved_indicators_cube_is_stored_under_the_key_every_process_reads(
    district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        indicator = Indicator.objects.create(  # enum members, as code writes them
            code="visits_and_trips",
            name="拜访和外出招商次数",
            unit_of_measure="次",
            source=Source.ACTIVITY_COUNT,
            filters={"activity_kinds": ["visit", "trip"]},
        )
    loaded = Indicator.objects.get(pk=indicator.pk)  # plain strings, as read back
    assert engine.definition(indicator) == engine.definition(loaded)
    key = engine._stored_key(engine._cube_key(loaded, TODAY.year, [district.path]))
    assert StoredCube.objects.filter(pk=key).exists()


def test_an_unchanged_stored_cube_moves_its_serial_without_being_written_again(
    district, monkeypatch
):
    from zhaoshang.core.models import DataVersion

    monkeypatch.setattr(engine, "STORE_EVERY", 3)
    units = list(Unit.objects.order_by("path"))
    leads, trips = Indicator.objects.get(code="leads"), Indicator.objects.get(code="trips")
    figures([leads, trips], units)
    key = engine._stored_key(engine._cube_key(leads, 2026, [district.path]))
    written = StoredCube.objects.get(pk=key).stored_at
    for activity in in_2026(Activity.objects.filter(kind="trip"), "start_date")[:4]:
        activity.delete()  # trips change, leads do not
    figures([leads, trips], units)
    _token, serial = DataVersion.current()
    stored = StoredCube.objects.get(pk=key)
    assert stored.serial == serial  # as current as the records
    assert stored.stored_at == written  # not written again
    engine.clear_shared_cubes()  # another worker
    read = engine.STATS["read"]
    now = figures([leads, trips], units)
    assert engine.STATS["read"] == read
    assert now == afresh([leads, trips], units)
