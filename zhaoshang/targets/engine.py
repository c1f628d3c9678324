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

import array
import collections
import contextlib
import contextvars
import datetime
import functools
import hashlib
import json
import logging
import threading
import time
import weakref
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
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
logger = logging.getLogger(__name__)


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


def _first_reached(indicator, start, end):
    """Milestones at which a project first reached the indicator's stage, start…end."""
    from zhaoshang.pipeline.models import Milestone

    stage = indicator.stage or Stage.SIGNED
    return Milestone.objects.filter(stage=stage, is_first=True, date__gte=start, date__lte=end)


def _projects(indicator, period):
    from zhaoshang.pipeline.models import Project

    first = _first_reached(indicator, period.start, period.end).values("project")
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
    kinds = (indicator.filters or {}).get("activity_kinds") if indicator else None
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
    """{unit id: raw figure of the records the unit owns itself}.

    Read from the indicator's monthly cube (one query per section for two years, shared by
    every period of those years within a `memo()` block); certified-only indicators, whose
    certifications are judged at the period end, query the period itself."""
    if not indicator.certified_only:
        scaled, places = _own_scaled(indicator, period, root_paths)
        return {unit_id: _unscale(value, places) for unit_id, value in scaled.items()}
    totals = {}
    for section in sections(indicator, period):
        qs = _under(section.queryset, _unit_fk(section), root_paths)
        value = Sum(section.amount) if section.amount else Count("pk")
        for unit_id, total in qs.order_by().values_list(_unit_fk(section)).annotate(v=value):
            totals[unit_id] = totals.get(unit_id, ZERO) + quantities.to_decimal(total or 0)
    return totals


def _own_scaled(indicator, period, root_paths=None):
    """({unit id: own figure in the cube's integer minor units}, decimal places) from the
    indicator's cube (not for certified-only indicators)."""
    cube = own_cube(indicator, period.year, root_paths, for_year_only=True)
    a, b = cube.slice(period.year, period.first_month, period.last_month)
    return {u: value for u, months in cube.items() if (value := sum(months[a:b]))}, cube.places


def _unscale(value, places):
    """An integer of minor units (10^-places) as the exact Decimal it stands for."""
    return Decimal(value).scaleb(-places) if places else Decimal(value)


def _under(qs, unit_fk, root_paths):
    if root_paths and not _whole_tree(root_paths):
        # Units by id from one small subquery: no join of every record to its unit.
        qs = qs.filter(**{f"{unit_fk}__in": _units_under(root_paths)})
    return qs


# The monthly cube -----------------------------------------------------------------------------

_memo = contextvars.ContextVar("engine_memo", default=None)


# Cubes outlive a memo() block in a small process-wide cache, keyed by the data version
# (core.models.DataVersion: a token and a serial) read when the block began: a change of
# any record gives a new version, so a cached value is never read as current after the
# records it sums changed. A cube is also kept as the latest of its kind (`_Latest`): a
# later block reads the change log entries since that cube's serial and re-reads only the
# units whose records changed (`_brought_up_to_date`), instead of the whole cube. The age
# limit only bounds the memory of a value no one asks for again.
# The cache holds at most this many values (a cube's unit-month slots, a rollup's units).
# At province scale a cube of 1,561 units weighs 37,000 (lists of ints, about 1.4 MB):
# the limit is about 75 MB, room for the cubes of every standard indicator and some more.
SHARED_WEIGHT = 2_000_000
SHARED_SECONDS = 600
_shared = collections.OrderedDict()  # key → (stored at, weight, value)
_shared_weight = 0
_shared_lock = threading.Lock()


def _weight(value):
    if isinstance(value, UnitTree):
        return len(value.path_of)
    if isinstance(value, Cube):
        return 24 * len(value)
    if isinstance(value, _Latest):
        return _weight(value.value)
    if isinstance(value, tuple):  # (rolled-up figures, decimal places)
        return len(value[0]) + 1
    if isinstance(value, bool):
        return 1
    return len(value) + 1


def _shared_get(key):
    global _shared_weight
    with _shared_lock:
        found = _shared.get(key)
        if found is None:
            return None
        stored_at, weight, value = found
        if time.monotonic() - stored_at > SHARED_SECONDS:
            del _shared[key]
            _shared_weight -= weight
            return None
        _shared.move_to_end(key)
        return value


def _shared_put(key, value):
    global _shared_weight
    weight = _weight(value)
    with _shared_lock:
        old = _shared.pop(key, None)
        if old is not None:
            _shared_weight -= old[1]
        _shared[key] = (time.monotonic(), weight, value)
        _shared_weight += weight
        while _shared_weight > SHARED_WEIGHT and len(_shared) > 1:
            _key, (_at, dropped, _value) = _shared.popitem(last=False)
            _shared_weight -= dropped


def clear_shared_cubes():
    """Empty this process's figure cache (the cubes stored in the database stay)."""
    global _shared_weight
    with _shared_lock:
        _shared.clear()
        _shared_weight = 0
        _stored.clear()
        _pruned.clear()


def forget_stored_cubes():
    """Empty the process cache and the database's stored cubes: the next figures are read
    from the records whole (benchmarks of that path; tests that compare with it)."""
    from zhaoshang.targets.models import StoredCube

    StoredCube.objects.all().delete()
    clear_shared_cubes()


class _CubeMemo(dict):
    """The cubes of one memo() block, backed by the process-wide cache."""

    def __init__(self):
        from django.db import connection

        from zhaoshang.core.changelog import serial_uncommitted
        from zhaoshang.core.models import DataVersion

        super().__init__()
        self.db = connection.settings_dict["NAME"]
        self.token, self.serial = DataVersion.current()
        self.version = (self.db, self.token, self.serial)
        # Inside a transaction that changed records (not yet committed), figures are
        # this transaction's own view: used here, never shared.
        self.may_share = not serial_uncommitted(connection)
        self._dirty = {}
        self._latest = {}
        self.reread = {}  # (cube key, units) → those units' rows read by _reread_batches

    def lookup(self, key):
        if key in self:
            return self[key]
        cube = _shared_get((self.version, *key))
        if cube is not None:
            self[key] = cube
        return cube

    def store(self, key, cube):
        self[key] = cube
        if self.may_share:
            _shared_put((self.version, *key), cube)

    def latest(self, key):
        """The `_Latest` value of this key under the current token, however old: from
        this process's cache, else (cubes) from the database."""
        if key in self._latest:
            return self._latest[key]
        found = _shared_get((self.db, self.token, "latest", *key))
        if found is None and key[0] == "cube":
            found = _load_stored(self, key)
        self._latest[key] = found
        return found

    def store_latest(self, key, value):
        """Keep `value` as the latest of its key (not also under the exact version: a
        cube current at this serial is found through `latest`)."""
        self[key] = value
        self._latest[key] = _Latest(self.serial, value)
        if self.may_share:
            _shared_put((self.db, self.token, "latest", *key), self._latest[key])
            if isinstance(value, Cube):
                _store(self, key, value)

    def dirty_since(self, serial):
        """{family: unit ids or ALL} changed after `serial`, or None for "everything"."""
        if serial not in self._dirty:
            self._dirty[serial] = _changes_since(serial, self.serial)
        return self._dirty[serial]


@dataclass(frozen=True)
class _Latest:
    serial: int
    value: object


# Cubes kept in the database (targets.StoredCube) ---------------------------------------------
STORED_FORMAT = 4  # raise when Cube's layout changes: cubes stored before are ignored
STORE_EVERY = 100  # a cube brought this many serials forward is stored again
# (db, token, key) → (serial, weak reference to the cube) this process last stored or loaded
_stored = {}
_pruned = set()  # (db, token) whose older stored cubes this process deleted


def _stored_key(key):
    return hashlib.sha256(repr((STORED_FORMAT, key)).encode()).hexdigest()


def _encode(cube):
    """year, places, filtered, then per unit its id and 24 values: 64-bit ints, native order (the
    machine that stores is the one that loads, or one like it), deflated at level 1: the
    database then stores it as it is (PostgreSQL compressing 290 KB itself took 50 ms
    of each store, deflating takes 3 ms and leaves 130 KB). None when a value does not
    fit 64 bits: such a cube is not stored."""
    flat = array.array("q", (cube.year, cube.places, int(cube.filtered)))
    try:
        for unit_id, months in cube.items():
            flat.append(unit_id)
            flat.extend(months)
    except OverflowError:
        return None
    return zlib.compress(flat.tobytes(), 1)


def _decode(payload):
    flat = array.array("q")
    flat.frombytes(zlib.decompress(payload))
    cube = Cube(flat[0], flat[1], bool(flat[2]))
    for i in range(3, len(flat), 25):
        cube[flat[i]] = flat[i + 1 : i + 25].tolist()
    return cube


def _load_stored(cache, key):
    from zhaoshang.targets.models import StoredCube

    row = (
        StoredCube.objects.filter(pk=_stored_key(key), token=cache.token)
        .values_list("serial", "payload")
        .first()
    )
    if row is None:
        return None
    latest = _Latest(row[0], _decode(row[1]))
    STATS["loaded"] += 1
    if cache.may_share:
        _shared_put((cache.db, cache.token, "latest", *key), latest)
        _stored[cache.db, cache.token, key] = (latest.serial, weakref.ref(latest.value))
    return latest


def _store(cache, key, cube):
    """Store the cube for other processes, unless this process stored or loaded it fewer
    than STORE_EVERY serials ago (each one replays at most that many changes)."""
    from django.db import DatabaseError, transaction

    from zhaoshang.targets.models import StoredCube

    mark = (cache.db, cache.token, key)
    before, ref = _stored.get(mark, (None, None))
    if before is not None and cache.serial - before < STORE_EVERY:
        return
    if ref is not None and ref() is cube:
        # Unchanged since it was stored or loaded (no change of its records since): the
        # stored row, that one or a later one, is as current at this serial. Moving its
        # serial forward spares the next loader the replay, without writing 130 KB again.
        try:
            StoredCube.objects.filter(
                pk=_stored_key(key), token=cache.token, serial__lt=cache.serial
            ).update(serial=cache.serial)
        except DatabaseError:
            return
        _stored[mark] = (cache.serial, ref)
        return
    payload = _encode(cube)
    if payload is None:
        return
    row = StoredCube(key=_stored_key(key), token=cache.token, serial=cache.serial, payload=payload)
    try:
        with transaction.atomic(using=StoredCube.objects.db):
            prune = (cache.db, cache.token) not in _pruned
            if prune:  # cubes of an earlier token can never serve again
                StoredCube.objects.exclude(token=cache.token).delete()
            StoredCube.objects.bulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["token", "serial", "payload", "stored_at"],
            )
    except DatabaseError:  # a busy database: the cube is only a cache
        return
    if prune:  # only once the deletion committed with the row
        _pruned.add((cache.db, cache.token))
    _stored[mark] = (cache.serial, weakref.ref(cube))


# Bringing a cached cube up to date ---------------------------------------------------------
# The records of each family feed the cubes of the indicators of that family; a change
# log entry names the unit whose records changed (`changelog_unit`).
_FAMILIES = {
    "pipeline.project": "project",
    "pipeline.milestone": "project",
    "targets.capitalincrease": "project",
    "activities.activity": "activity",
    "pipeline.lead": "lead",
    "carriers.landparcel": "carrier",
    "carriers.building": "carrier",
    "carriers.buildingtenant": "carrier",
    "targets.reportedvalue": "reported",
}
# An update of these moves a record's rows to another unit: its entry's unit and its
# previous unit are read again (every unit of the family when the entry has no previous one).
_MOVING = frozenset({"responsible_unit", "unit", "project", "building"})
# Enterprise fields read by the project flags (500强, 央企) and the above-scale tenants: a
# change of one re-reads the units of the enterprise's projects and tenancies.
_ENTERPRISE_FIGURE_FIELDS = frozenset({"fortune_global_500", "central_soe", "above_scale"})
ALL = "all"
# More changes than this since a cube, or more units changed: read it whole.
# Reading 5,000 entries takes about 35 ms; re-reading 400 of a province's 1,561 units
# 35-90 ms a cube, against 90-350 ms for the whole cube (PostgreSQL, province scale).
REFRESH_MAX_CHANGES = 5000
REFRESH_MAX_UNITS = 400
STATS = collections.Counter()  # cubes "read" whole and "refreshed" (for tests and benches)


def _family(indicator):
    return {
        Source.PROJECT_SUM: "project",
        Source.PROJECT_COUNT: "project",
        Source.ACTIVITY_COUNT: "activity",
        Source.LEAD_COUNT: "lead",
        Source.CARRIER_SUM: "carrier",
        Source.CARRIER_COUNT: "carrier",
    }.get(indicator.source, "reported")


def _changes_since(first, last):
    """{family: set of unit ids, or ALL} whose records changed in serials first+1…last,
    from the change log, with "unit": ALL when a unit itself changed; None when the log
    cannot say (too many changes, or a serial without its entry)."""
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeLogEntry

    if last - first > REFRESH_MAX_CHANGES:
        return None
    rows = list(
        ChangeLogEntry.objects.filter(serial__gt=first, serial__lte=last).values_list(
            "content_type_id", "unit_id", "action", "changes", "previous_unit_id", "object_id"
        )
    )
    if len(rows) != last - first:
        return None
    dirty = {}
    for content_type_id, unit_id, action, changes, previous_unit_id, object_id in rows:
        if content_type_id is None:  # the record type is gone: cannot say what changed
            return None
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        label = model._meta.label_lower if model else ""
        if label == "organization.unit":
            # Cubes hold what each unit owns itself, by unit id: a unit's change (a
            # rename, a move, a new unit) changes the tree and the subtrees, not them.
            dirty["unit"] = ALL
            continue
        if label == "enterprises.enterprise":
            if action == "update" and _ENTERPRISE_FIGURE_FIELDS & set(changes):
                # Its projects' flags (500强, 央企) and its tenancies (规上) changed: the
                # units that own them are read again.
                for family, units in _units_of_enterprise(object_id).items():
                    if dirty.get(family) is not ALL:
                        dirty.setdefault(family, set()).update(units)
            continue
        family = _FAMILIES.get(label)
        if family is None or dirty.get(family) is ALL:
            continue
        moved = action == "update" and _MOVING & set(changes)
        if unit_id is None or moved and previous_unit_id is None:
            dirty[family] = ALL
        else:
            units = dirty.setdefault(family, set())
            units.add(unit_id)
            if moved:  # its rows left the unit it was filed under before
                units.add(previous_unit_id)
    return dirty


def _units_of_enterprise(enterprise_id):
    """{family: unit ids} owning the records an enterprise's flags count in: the projects
    it invests in, the buildings it rents in."""
    from zhaoshang.carriers.models import BuildingTenant
    from zhaoshang.pipeline.models import Project

    return {
        "project": set(
            Project.objects.filter(investor_id=enterprise_id)
            .order_by()
            .values_list("responsible_unit_id", flat=True)
            .distinct()
        ),
        "carrier": set(
            BuildingTenant.objects.filter(enterprise_id=enterprise_id)
            .order_by()
            .values_list("unit_id", flat=True)
            .distinct()
        ),
    }


def _brought_up_to_date(cache, key, indicator, root_paths):
    """The latest cached cube of `key` with the units changed since re-read, or None."""
    latest = cache.latest(key)
    if latest is None:
        return None
    cube = latest.value
    # A cube stored by another process at a later serial than this block's is newer than
    # the records this block reads: good as it is.
    if latest.serial < cache.serial:
        units = _stale_units(cache, latest, indicator, root_paths)
        if units is None:
            # Read for a subtree, which a unit's change may have changed; or more
            # changed than re-reading saves; or a change the log cannot place.
            return None
        if units:
            fresh = cache.reread.pop((key, frozenset(units)), None)
            cube = _reread_units(indicator, cube, units, root_paths, fresh)
            STATS["refreshed"] += 1
    cache.store_latest(key, cube)
    return cube


def _reread_units(indicator, cube, units, root_paths, fresh=None):
    """A copy of `cube` with the rows of `units` read again from the records (or taken
    from `fresh`, those units' rows already read by `_reread_batches`)."""
    start, end = datetime.date(cube.year - 1, 1, 1), datetime.date(cube.year, 12, 31)
    if fresh is None:
        fresh = Cube(cube.year, cube.places)
        for source in cube_sources(indicator, start, end):
            _add_source(fresh, _of_units(source, units), root_paths)
    result = Cube(cube.year, cube.places, cube.filtered)
    result.update(cube)
    for unit_id in units:
        if unit_id in fresh:
            result[unit_id] = fresh[unit_id]
        else:
            result.pop(unit_id, None)
    return result


@contextlib.contextmanager
def memo():
    """Within this block, each indicator's cube is read once, and cubes read by earlier
    blocks serve while no record has changed (read-only pages use it)."""
    if _memo.get() is not None:  # nested: the outer block's cubes serve
        yield
        return
    token = _memo.set(_CubeMemo())
    try:
        yield
    finally:
        _memo.reset(token)


class YearMonth(Func):
    """year × 100 + month of a date column, computed by the database itself: no Python
    function per row as Django's ExtractMonth costs on SQLite, and on PostgreSQL in
    floating point (date_part) rather than EXTRACT's numeric, a third of the cost."""

    output_field = IntegerField()

    def __init__(self, expression, minutes=0):
        super().__init__(expression)
        self.minutes = minutes  # shift of a UTC moment to local time

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "sqlite":
            shift = f", '{int(self.minutes):+d} minutes'" if self.minutes else ""
            return f"CAST(strftime('%%Y%%m', {sql}{shift}) AS INTEGER)", params
        if self.minutes:  # Django's connections read moments in UTC
            sql = f"({sql} + interval '{int(self.minutes):d} minutes')"
        return (
            f"CAST(date_part('year', {sql}) * 100 + date_part('month', {sql}) AS INTEGER)",
            params * 2,
        )


@dataclass
class CubeSource:
    """Rows adding to an indicator, with where each row's owning unit and month are."""

    queryset: object
    unit: str
    month: object  # an expression giving year × 100 + month
    amount: str | None


def _of_units(source, units):
    """The source's rows of these units only."""
    qs = source.queryset.filter(**{f"{source.unit}__in": list(units)})
    return CubeSource(qs, source.unit, source.month, source.amount)


def cube_sources(indicator, start, end):
    """The rows of the indicator's records dated start…end (not for certified-only ones)."""
    from zhaoshang.pipeline.models import Project

    src = indicator.source
    if src in (Source.PROJECT_SUM, Source.PROJECT_COUNT):
        milestones = _first_reached(indicator, start, end)
        if project_q(indicator).children:
            milestones = milestones.filter(
                project__in=Project.objects.filter(project_q(indicator)).values("pk")
            )
        amount = f"project__{indicator.field}" if src == Source.PROJECT_SUM else None
        result = [CubeSource(milestones, "project__responsible_unit", YearMonth("date"), amount)]
        span = _Span(start, end)
        increases = _increases(indicator, span)
        if increases is not None:
            result.append(
                CubeSource(increases, "project__responsible_unit", YearMonth("date"), "amount")
            )
        return result
    span = _Span(start, end)
    if src == Source.ACTIVITY_COUNT:
        return [CubeSource(_activities(indicator, span), "unit", YearMonth("start_date"), None)]
    if src == Source.LEAD_COUNT:
        return [CubeSource(_leads(indicator, span), "unit", _local_month("created_at", span), None)]
    if src in (Source.CARRIER_SUM, Source.CARRIER_COUNT):
        qs = _carriers(indicator, span)
        date = "move_in_date" if indicator.field == Field.ABOVE_SCALE_TENANTS else "sold_date"
        amount = "area_mu" if src == Source.CARRIER_SUM else None
        return [CubeSource(qs, "unit", YearMonth(date), amount)]
    reported = ReportedValue.objects.filter(
        indicator=indicator, year__gte=start.year, year__lte=end.year
    )
    return [CubeSource(reported, "unit", F("year") * 100 + F("month"), "value")]


def _local_month(field, span):
    """year × 100 + month of a moment in local time. A zone with one UTC offset over the
    span shifts the moment in SQL (Django's functions convert each row in Python on
    SQLite, and by the zone's rules on PostgreSQL, twice the cost)."""
    from django.db import connection

    if connection.vendor in ("sqlite", "postgresql"):
        tz = timezone.get_current_timezone()
        offsets = {
            datetime.datetime(y, m, 1, tzinfo=tz).utcoffset()
            for y in range(span.start.year, span.end.year + 2)
            for m in range(1, 13)
        }
        if len(offsets) == 1:
            return YearMonth(field, minutes=offsets.pop().total_seconds() // 60)
    # Cast: PostgreSQL's EXTRACT gives a numeric.
    return Cast(ExtractYear(field) * 100 + ExtractMonth(field), IntegerField())


@dataclass(frozen=True)
class _Span:
    start: datetime.date
    end: datetime.date

    @property
    def year(self):
        return self.start.year

    def months(self):
        return list(range(1, 13))


def _prefixed(q, prefix):
    """`q` (a Q on Project) as a Q on a model reaching the project through `prefix`."""
    result = Q()
    result.connector, result.negated = q.connector, q.negated
    result.children = [
        _prefixed(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1]) for c in q.children
    ]
    return result


def _batch_key(indicator):
    """Indicators whose cubes one grouped query can read together, or None."""
    if indicator.certified_only:
        return None
    if indicator.source in (Source.PROJECT_SUM, Source.PROJECT_COUNT):
        return ("project", indicator.stage or Stage.SIGNED)
    if indicator.source == Source.ACTIVITY_COUNT:
        return ("activity",)
    return None


def prefetch(indicators, year, root_paths=None):
    """Read the cubes of many indicators with one grouped query per kind of record (one
    conditional aggregate column per indicator) into the current memo() block."""
    cache = _memo.get()
    if cache is None:
        return
    _reread_batches(cache, indicators, year, root_paths)
    batches = {}
    for ind in indicators:
        batch = _batch_key(ind)
        if batch is not None and _current_cube(cache, ind, year, root_paths) is None:
            batches.setdefault(batch, []).append(ind)
    for members in batches.values():
        if len(members) < 2:
            continue
        cubes = _read_batch(members, year, root_paths)
        for ind in members:
            cache.store_latest(_cube_key(ind, year, root_paths), cubes[ind.pk])
            STATS["read"] += 1


def _read_batch(members, year, root_paths, units=None):
    """{indicator id: Cube} of indicators of one batch from one grouped query (one
    conditional aggregate column each), of every unit under the roots or of `units`."""
    start, end = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
    if _batch_key(members[0])[0] == "project":
        qs, unit = _first_reached(members[0], start, end), "project__responsible_unit"
        month = YearMonth("date")
        columns = {
            f"v{ind.pk}": (
                _scaled_sum(
                    qs.model,
                    f"project__{ind.field}",
                    filter=_filter_or_none(ind, "project__"),
                )
                if ind.source == Source.PROJECT_SUM
                else _count(_filter_or_none(ind, "project__"))
            )
            for ind in members
        }
    else:
        qs, unit, month = _activities(None, _Span(start, end)), "unit", YearMonth("start_date")
        columns = {
            f"v{ind.pk}": _count(
                Q(kind__in=kinds) if (kinds := (ind.filters or {}).get("activity_kinds")) else None
            )
            for ind in members
        }
    qs = _under(qs, unit, root_paths)
    if units is not None:
        qs = qs.filter(**{f"{unit}__in": list(units)})
    rows = qs.order_by().annotate(_ym=month).values_list(unit, "_ym").annotate(**columns)
    sources = {ind.pk: cube_sources(ind, start, end) for ind in members}
    filtered = units is not None or _subtree_only(root_paths)
    cubes = {ind.pk: Cube(year, _places(sources[ind.pk]), filtered) for ind in members}
    _fill([cubes[ind.pk] for ind in members], _raw_rows(rows))
    for ind in members:
        # What the batch does not hold (capital increases) comes from the usual sources.
        for source in sources[ind.pk][1:]:
            if units is not None:
                source = _of_units(source, units)
            _add_source(cubes[ind.pk], source, root_paths)
    return cubes


def _reread_batches(cache, indicators, year, root_paths):
    """Re-read the changed units of the cached cubes of many indicators with one grouped
    query per batch (as `prefetch` reads them whole), for `_brought_up_to_date` to merge:
    after a busy hour the dashboard's five project cubes re-read their units once."""
    roots = root_paths
    if _subtree_only(root_paths) and (tops := _tops(root_paths)):
        roots = tops  # _current_cube brings the whole tree's cube up to date
    groups = {}
    for ind in indicators:
        batch = _batch_key(ind)
        if batch is None:
            continue
        key = _cube_key(ind, year, roots)
        if cache.lookup(key) is not None:
            continue
        latest = cache.latest(key)
        units = _stale_units(cache, latest, ind, roots) if latest is not None else None
        if units:
            groups.setdefault((batch, frozenset(units)), []).append(ind)
    for (_batch, units), members in groups.items():
        if len(members) < 2:
            continue
        cubes = _read_batch(members, year, roots, units)
        STATS["batched"] += 1
        for ind in members:
            cache.reread[_cube_key(ind, year, roots), units] = cubes[ind.pk]


def _stale_units(cache, latest, indicator, root_paths):
    """The units whose rows a `_Latest` cube must read again (empty when none), or None
    when it is current or must be read whole."""
    if latest.serial >= cache.serial:
        return None
    dirty = cache.dirty_since(latest.serial)
    # After a unit's change, a cube read for part of the tree may miss units now under
    # its roots (one read unfiltered holds every unit's rows, a superset that serves).
    if dirty is None or "unit" in dirty and latest.value.filtered:
        return None
    units = dirty.get(_family(indicator), ())
    if units is ALL or len(units) > REFRESH_MAX_UNITS:
        return None
    return units


def _field_at(model, path):
    """The model field at the end of a lookup path (`project__total_investment`)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


class _Minor(Func):
    """A decimal column in integer minor units (× 10^places), rounded exactly."""

    output_field = BigIntegerField()

    def __init__(self, expression, places):
        super().__init__(expression)
        self.places = places

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(ROUND({sql} * {10**self.places}) AS BIGINT)", params


def _scaled_sum(model, path, places=None, filter=None):
    """SUM of a decimal column in integer minor units: exact on SQLite too (which stores
    decimals as floating point), and summed in Python as ints, not Decimals."""
    if places is None:
        places = _field_at(model, path).decimal_places
    # Cast: PostgreSQL's SUM of bigints is a numeric, which the driver gives as a Decimal.
    return Cast(
        Sum(_Minor(F(path), places), filter=filter, output_field=BigIntegerField()),
        BigIntegerField(),
    )


def _source_places(source):
    return _field_at(source.queryset.model, source.amount).decimal_places if source.amount else 0


def _places(sources):
    """The decimal places of a cube: the most of its sources' amount columns (0 counts)."""
    return max(_source_places(source) for source in sources)


def _raw_rows(queryset):
    """The rows of a grouped queryset straight from the cursor, without Django's
    per-value converters (0.3 s for a cold dashboard on SQLite): every column is an int."""
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fill(cubes, rows):
    """Add rows (unit id, year × 100 + month, one value per cube) into the cubes.

    The hot loop of a cold page (tens of thousands of rows per cube): the month's slot
    comes from a dict, and a single cube, the common case, has its own loop."""
    year = cubes[0].year
    slot = {(year - 1 + i // 12) * 100 + i % 12 + 1: i for i in range(24)}
    if rows and not all(type(v) is int or v is None for v in rows[0][1:]):
        # Only ints are summed here (the SQL casts its sums and months to integers).
        rows = [(u, *(None if v is None else int(v) for v in rest)) for u, *rest in rows]
    if len(cubes) == 1:
        cube = cubes[0]
        get = cube.get
        for unit_id, ym, value in rows:
            i = slot.get(ym)
            if i is not None and value:
                months = get(unit_id)
                if months is None:
                    months = cube[unit_id] = [0] * 24
                months[i] += value
        return
    for unit_id, ym, *values in rows:
        i = slot.get(ym)
        if i is None:
            continue
        for cube, value in zip(cubes, values, strict=True):
            if value:
                months = cube.get(unit_id)
                if months is None:
                    months = cube[unit_id] = [0] * 24
                months[i] += value


def _count(filter=None):
    """COUNT(*) (with a filter, COUNT(1) FILTER …), not of the id: the columns of these
    queries are then all in the indexes that serve them, which PostgreSQL reads without
    the table (an activity count 105 -> 42 ms at province scale)."""
    return Count(Value(1), filter=filter) if filter is not None else Count("*")


def _filter_or_none(indicator, prefix):
    q = project_q(indicator)
    return _prefixed(q, prefix) if q.children else None


def _add_source(cube, source, root_paths):
    qs = _under(source.queryset, source.unit, root_paths)
    if source.amount:
        value = _scaled_sum(qs.model, source.amount, cube.places)
    else:
        value = _count()
    rows = (
        qs.order_by().annotate(_ym=source.month).values_list(source.unit, "_ym").annotate(v=value)
    )
    _fill([cube], _raw_rows(rows))


class Cube(dict):
    """{unit id: [24 monthly values]}: the year before `year` (0–11), then `year` (12–23),
    of what each unit owns itself. A period's total is the sum of a slice. Values are ints:
    counts, or sums in minor units of 10^-places (exact, and ints add fast)."""

    def __init__(self, year, places=0, filtered=False):
        super().__init__()
        self.year = year
        self.places = places
        # Read for part of the tree (its units only): a unit's change may have brought
        # others under its roots. A cube read unfiltered holds every unit's rows.
        self.filtered = filtered

    def index(self, year, month):
        return (year - self.year + 1) * 12 + month - 1

    def slice(self, year, first_month, last_month):
        """(start, stop) of these months of `year` in every unit's list."""
        start = self.index(year, first_month)
        if not 0 <= start < 24:
            raise ValueError(f"the cube of {self.year} does not hold {year}")
        return start, start + last_month - first_month + 1


def definition(indicator):
    """What an indicator's cube depends on: its counting rule, not its name, unit of
    measure or order. A rename keeps the cube; indicators that count alike share one."""
    if indicator.source == Source.REPORTED:  # reported values belong to the indicator
        return ("reported", indicator.pk)
    stage = ""
    if indicator.source in (Source.PROJECT_SUM, Source.PROJECT_COUNT):
        stage = indicator.stage or Stage.SIGNED
    filters = {
        k: sorted(v) if isinstance(v, list) else v for k, v in (indicator.filters or {}).items()
    }
    # Plain strings, not the model's enum members: the stored cube's key is a hash of
    # the repr, which differs between Source.PROJECT_SUM and "project_sum".
    return (
        str(indicator.source),
        str(indicator.field) if indicator.source != Source.PROJECT_COUNT else "",
        str(stage),
        json.dumps(filters, sort_keys=True, ensure_ascii=False),
    )


def _cube_key(indicator, year, root_paths):
    return ("cube", definition(indicator), year, tuple(root_paths or ()))


def _subtree_only(root_paths):
    """Whether a cube of these roots was read for part of the tree (a filter on units)."""
    return bool(root_paths) and not _whole_tree(root_paths)


def _current_cube(cache, indicator, year, root_paths, for_year_only=False):
    """The indicator's cube for `year` (or, with `for_year_only`, the next year's, which
    holds it) without reading it whole: current in this block, else cut from the current
    cube of the whole tree (a subtree's figures are part of the whole's), else brought up
    to date from the change log; None when it must be read from the records."""
    years = (year, year + 1) if for_year_only else (year,)
    for y in years:
        found = cache.lookup(_cube_key(indicator, y, root_paths))
        if found is not None:
            return found
    tops = _tops(root_paths) if _subtree_only(root_paths) else None
    if tops:
        for y in years:
            whole = cache.lookup(_cube_key(indicator, y, tops)) or _brought_up_to_date(
                cache, _cube_key(indicator, y, tops), indicator, tops
            )
            if whole is not None:
                cube = _cut(whole, UnitTree.for_roots(root_paths).path_of)
                cache.store(_cube_key(indicator, y, root_paths), cube)
                STATS["cut"] += 1
                return cube
    for y in years:
        found = _brought_up_to_date(
            cache, _cube_key(indicator, y, root_paths), indicator, root_paths
        )
        if found is not None:
            return found
    return None


def _tops(root_paths):
    """[the top unit's path] when every root lies under the same top unit, else None."""
    tops = {path[: path.index("/", 1) + 1] for path in root_paths}
    return sorted(tops) if len(tops) == 1 else None


def _cut(cube, units):
    """The part of `cube` that the units (ids) own."""
    part = Cube(cube.year, cube.places, filtered=True)
    for unit_id, months in cube.items():
        if unit_id in units:
            part[unit_id] = months
    return part


def own_cube(indicator, year, root_paths=None, for_year_only=False):
    """The `Cube` of what each unit owns itself, for `year` and the year before (what a
    period and its year-on-year comparison need). With `for_year_only`, a cube already
    read that holds `year` will do."""
    key = _cube_key(indicator, year, root_paths)
    cache = _memo.get()
    if cache is not None:
        found = _current_cube(cache, indicator, year, root_paths, for_year_only)
        if found is not None:
            return found
    start, end = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
    sources = cube_sources(indicator, start, end)
    cube = Cube(year, _places(sources), filtered=_subtree_only(root_paths))
    for source in sources:
        _add_source(cube, source, root_paths)
    STATS["read"] += 1
    if cache is not None:
        cache.store_latest(key, cube)
    return cube


def warm(year=None, indicators=None):
    """Read and store the whole tree's cubes of every indicator (or of `indicators`) for
    `year` (this year by default): what every dashboard and ranking read, a subtree's cut
    from them. Bulk writers (the generator, the ledger import) call it once their rows are
    committed, a saved indicator for itself, and `manage.py warm_figures` each night (a
    new year's first page), so that no page is the one that reads every cube from the
    records. Returns the number of cubes now current."""
    from zhaoshang.organization.models import Unit

    year = year or timezone.localdate().year
    if indicators is None:
        indicators = Indicator.objects.all()
    indicators = [i for i in indicators if not i.certified_only]
    tops = list(Unit.objects.filter(parent__isnull=True).values_list("path", flat=True))
    with memo():
        for path in tops:
            prefetch(indicators, year, [path])
            for indicator in indicators:
                own_cube(indicator, year, [path])
    return len(tops) * len(indicators)


def warm_after_commit(indicators=None):
    """`warm()` once the current transaction commits; a failure is logged, never raised
    into the writer whose rows are already committed."""
    from django.db import transaction

    def run():
        try:
            warm(indicators=indicators)
        except Exception:
            logger.exception("warming the figure cache failed")

    transaction.on_commit(run)


def units_q(units, field="unit"):
    """A filter to the rows of these units: nothing at all when they are every unit of the
    tree (a full ranking: PostgreSQL took 15 ms to plan an IN list of 1,561 ids), else the
    list of their ids."""
    ids = {u.id for u in units}
    roots = _roots(units)
    if (
        len(ids) > 200
        and roots is not None
        and _whole_tree(roots)
        and len(ids) == len(UnitTree.for_roots(roots).path_of)
    ):
        return Q()
    return Q(**{f"{field}__in": ids})


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
    return cached(
        ("whole tree", tuple(sorted(tops))),
        lambda: not Unit.objects.filter(parent__isnull=True).exclude(path__in=tops).exists(),
    )


def _roots(units):
    roots = []
    # Sorted, a subtree's paths follow its root's: only the last root can contain a path.
    for path in sorted({u.path for u in units}):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
            if len(roots) > 20:
                return None
    return roots


def _widened(roots):
    """Within a memo() block, sibling roots are read as their parent's subtree: a page that
    shows a unit and ranks its children then reads one cube, not two. Harmless outside
    the tree: the rollup counts only the units of the tree."""
    if _memo.get() is None or not roots or len(roots) == 1:
        return roots
    parents = {r[: r.rstrip("/").rfind("/") + 1] for r in roots}
    if len(parents) != 1:
        return roots
    parent = parents.pop()
    return [parent] if parent != "/" else None


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
        self._ancestors = {}

    @classmethod
    def for_roots(cls, roots):
        """The tree of these roots, shared within a memo() block (and beyond it while no
        record changed)."""
        cache = _memo.get()
        if cache is None:
            return cls(roots)
        key = ("tree", tuple(roots or ()))
        tree = cache.lookup(key)
        if tree is None:
            latest = cache.latest(key)
            # The tree changes only with a unit, which dirty_since() names as "unit".
            if latest is not None and (
                latest.serial == cache.serial
                or (dirty := cache.dirty_since(latest.serial)) is not None
                and "unit" not in dirty
            ):
                tree = latest.value
            else:
                tree = cls(roots)
            cache.store_latest(key, tree)
        return tree

    def ancestors(self, unit_id):
        """Ids of the unit and its ancestors within the tree."""
        found = self._ancestors.get(unit_id)
        if found is None:
            path = self.path_of.get(unit_id)
            found = ()
            if path is not None:
                codes = path.strip("/").split("/")
                found = tuple(
                    a
                    for depth in range(1, len(codes) + 1)
                    if (a := self.id_of.get("/" + "/".join(codes[:depth]) + "/")) is not None
                )
            self._ancestors[unit_id] = found
        return found

    @functools.cached_property
    def bottom_up(self):
        """[(unit id, parent id within the tree or None)], deepest units first."""
        pairs = []
        for pk, path in sorted(self.path_of.items(), key=lambda item: -item[1].count("/")):
            parent = path[: path.rstrip("/").rfind("/") + 1]
            pairs.append((pk, self.id_of.get(parent)))
        return pairs

    def rollup(self, totals):
        """{unit id: sum over its subtree} for every unit with a non-empty subtree.

        One pass, deepest units first: a unit's subtree total is complete before it is
        added to its parent's (a loop over units, not over units × depth)."""
        path_of = self.path_of
        rolled = {u: v for u, v in totals.items() if u in path_of}
        get = rolled.get
        for unit_id, parent_id in self.bottom_up:
            value = get(unit_id)
            if value and parent_id is not None:
                rolled[parent_id] = get(parent_id, 0) + value
        return rolled


def actuals(indicator, units, period, tree=None):
    """{unit id: actual in the indicator's unit} for each unit's subtree."""
    roots = _roots(units)
    cache = _memo.get()
    key = ("rolled", definition(indicator), period, tuple(roots or ()))
    found = cache.lookup(key) if cache is not None and not indicator.certified_only else None
    if found is None:
        tree = tree or UnitTree.for_roots(roots)
        if indicator.certified_only:
            found = tree.rollup(own_totals(indicator, period, _widened(roots))), 0
        else:
            scaled, places = _own_scaled(indicator, period, _widened(roots))
            found = tree.rollup(scaled), places
            if cache is not None:
                cache.store(key, found)
    rolled, places = found
    # u.id, not u.pk: the pk property costs more than the rest of this loop.
    return {u.id: _convert(indicator, _unscale(rolled.get(u.id, 0), places)) for u in units}


def cached(key, compute):
    """`compute()`, kept like a cube: for a figure that depends on records only (not on
    today's date) and is read inside memo() blocks."""
    cache = _memo.get()
    if cache is None:
        return compute()
    key = ("cached", *key)
    value = cache.lookup(key)
    if value is None:
        value = compute()
        cache.store(key, value)
    return value


def memoized(view):
    """A read-only view that computes figures inside a memo() block."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with memo():
            return view(*args, **kwargs)

    return wrapper


def actual(indicator, unit, period):
    return actuals(indicator, [unit], period)[unit.pk]


def monthly(indicator, unit, year):
    """The unit's actual of each month of `year` (its subtree), in the indicator's unit.

    From the indicator's cube (one query per section); certified-only indicators, whose
    certification is judged at each month's end, are asked month by month."""
    if not indicator.certified_only:
        cube = own_cube(indicator, year, [unit.path], for_year_only=True)
        a, b = cube.slice(year, 1, 12)
        by_month = [0] * 12
        for months in cube.values():
            by_month = [total + value for total, value in zip(by_month, months[a:b], strict=True)]
        return [_convert(indicator, _unscale(v, cube.places)) for v in by_month]
    result = []
    for month in range(1, 13):
        totals = own_totals(indicator, Period.month(year, month), [unit.path])
        result.append(_convert(indicator, sum(totals.values(), ZERO)))
    return result


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


@dataclass(frozen=True)
class TargetValues:
    """What the figures read of a Target, without building the model instance."""

    unit_id: int
    annual: Decimal | None
    unit_of_measure: str
    split: str
    parts: list | None


def targets_by_unit(indicator, units, year):
    """{unit id: TargetValues} of the units' targets for the year (one query)."""
    wanted = {u.id for u in units}
    qs = Target.objects.filter(indicator=indicator, year=year)
    roots = _roots(units)
    if len(wanted) <= 200:
        qs = qs.filter(unit__in=wanted)
    elif roots is not None and not _whole_tree(roots):
        qs = qs.filter(unit__in=_units_under(roots))
    # Otherwise every target of the indicator and year (at most one per unit), kept below:
    # cheaper than sending a thousand ids. No ordering (it joined units and indicators),
    # and the split read as text, decoded only where there is one (JSON decoding of an
    # empty split for each of 1,561 units cost 80 ms on PostgreSQL).
    rows = qs.order_by().values_list(
        "unit_id", "annual", "unit_of_measure", "split", Cast("parts", TextField())
    )
    return {
        row[0]: TargetValues(*row[:4], json.loads(row[4]) if row[4] not in _NO_PARTS else None)
        for row in rows
        if row[0] in wanted
    }


_NO_PARTS = (None, "", "null", "[]")


@dataclass
class Figure:
    """A unit's figure of an indicator for a period. The rates are worked out when first
    read: a full ranking builds 6,000 figures and reads only their completion."""

    indicator: Indicator
    unit: object
    period: Period
    actual: Decimal
    target: Decimal | None
    period_target: Decimal | None
    last_year: Decimal
    time_progress: Decimal | None = None

    def __post_init__(self):
        if self.time_progress is None:  # figures() passes the period's, computed once
            self.time_progress = self.period.time_progress()

    @functools.cached_property
    def completion(self):
        return quantities.percent(self.actual, self.target)

    @functools.cached_property
    def period_completion(self):
        return quantities.percent(self.actual, self.period_target)

    @functools.cached_property
    def growth(self):
        return quantities.growth(self.actual, self.last_year)

    @functools.cached_property
    def pace(self):
        return pace(self.completion, self.time_progress)


def figures(indicator, units, period, tree=None):
    """{unit id: Figure} for many units: one cube (two years) and one target query."""
    with memo():
        now = actuals(indicator, units, period, tree)
        before = actuals(indicator, units, period.same_period_last_year(), tree)
    targets = targets_by_unit(indicator, units, period.year)
    progress = period.time_progress()
    return {
        u.id: Figure(
            indicator,
            u,
            period,
            now[u.id],
            annual_target(targets.get(u.id), indicator),
            period_target(targets.get(u.id), indicator, period),
            before[u.id],
            time_progress=progress,
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
    """A hash of a unit's figures, to tell later whether the records changed.

    The hashed text is `json.dumps` of the sorted (code, actual, target) strings (stored
    snapshots hold hashes of that text), written directly when no string needs escaping:
    json.dumps cost a full ranking 60 ms."""
    items = sorted((str(k), str(a), str(t)) for k, a, t in rows)
    text = "[" + ", ".join('["{}", "{}", "{}"]'.format(*item) for item in items) + "]"
    if not _plain_json(text, 3 * len(items)):
        text = json.dumps(items)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain_json(text, strings):
    """Whether the `strings` strings written into `text` needed no escaping by json.dumps
    (printable ASCII, no backslash, no quote but the two around each): one scan of the
    text instead of a regular expression per string (57 ms of a full ranking)."""
    return (
        text.isascii()
        and text.isprintable()
        and "\\" not in text
        and text.count('"') == 2 * strings
    )
