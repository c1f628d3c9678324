"""Dashboard and full-ranking times on the province data set, against the raw SQL.

    cp /tmp/zsprov/zhaoshang.sqlite3 /tmp/zstargets/ && \
        ZHAOSHANG_DATA_DIR=/tmp/zstargets .venv/bin/python manage.py migrate
    ZHAOSHANG_DATA_DIR=/tmp/zstargets .venv/bin/python bench/bench_dashboard.py [--runs 15]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_dashboard.py

Sets up (once, idempotent) targets for every unit for four indicators, a province bureau
user and a peer group of all units. Then measures, p50 of server time, for the province
dashboard (GET /targets/, full Django stack in-process), a full ranking of all 1,561 units
for the year (`assessment.rank`: every indicator with a target, actuals rolled up over
the unit tree, targets, scores) and a district's dashboard:
- "from the records": the process's cube cache and the cubes stored in the database are
  emptied before every request, so every figure is read from the records whole (what a
  bulk writer's commit, a saved indicator and the nightly warm_figures now pay; no page
  in operation does);
- "raw SQL": the aggregate SQL statements that read sent (captured once), replayed
  through a bare cursor with no Python around them: what computing the same numbers from
  the records costs the database alone. Every ratio is a time ÷ this;
- "cached cubes": after `engine.warm()` (what writers and the nightly warm leave), the
  next requests while no record changed, as a leader reloading the dashboard gets them;
- before each request of the next cases, a change through the ORM (logged, as a user's
  save): "after a change", one activity of another unit (the cached cubes are brought up
  to date from the change log, only that unit re-read); "new process", the same with the
  process cache emptied (a restarted or another worker starts from the stored cubes);
  "after a unit rename" (the tree is read again, the cubes kept); "after an indicator
  rename" (its counting rule, and so its cube, is the same); "after 300 changes", 300
  activities of 300 units (a busy hour between two pages).
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings_test")
os.environ.setdefault("ZHAOSHANG_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhaoshang.core.periods import Period  # noqa: E402
from zhaoshang.organization.models import Unit, User  # noqa: E402
from zhaoshang.targets import assessment, engine  # noqa: E402
from zhaoshang.targets.models import Indicator, Target  # noqa: E402

YEAR = 2026
TARGET_CODES = ("signed_amount", "signed_projects", "signed_over_100m", "trips")


def setup():
    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    user, _ = User.objects.get_or_create(username="bench_targets", defaults={"unit": root})
    user.groups.set([Group.objects.get(name="bureau")])
    units = list(Unit.objects.all())
    for code in TARGET_CODES:
        indicator = Indicator.objects.get(code=code)
        have = set(
            Target.objects.filter(indicator=indicator, year=YEAR).values_list("unit", flat=True)
        )
        Target.objects.bulk_create(
            Target(
                indicator=indicator,
                unit=u,
                year=YEAR,
                annual=Decimal(10 * (4 - min(u.depth, 3))),
            )
            for u in units
            if u.pk not in have
        )
    return root, user, units


def p50(fn, runs):
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def aggregate_sql(fn):
    """The aggregate statements `fn` sends (GROUP BY / SUM / COUNT), to replay raw."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    statements = []
    for q in captured.captured_queries:
        sql = q["sql"]
        upper = sql.upper()
        if upper.startswith("SELECT") and ("SUM(" in upper or "COUNT(" in upper):
            statements.append(sql)
    return statements, len(captured.captured_queries)


def replay(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    root, user, units = setup()
    from zhaoshang.warmup import warm_worker

    warm_worker()  # as gunicorn's post_worker_init: URL patterns, stored cubes, gc.freeze()
    client = Client()
    client.force_login(user)
    period = Period.cumulative(YEAR, 11)
    url = f"/targets/?unit={root.pk}&period={period.code}"

    def dashboard():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def ranking():
        rows = assessment.rank(units, Period.whole_year(YEAR))
        assert len(rows) == len(units)

    def cold(fn):
        def run():
            engine.forget_stored_cubes()
            fn()

        return run

    def ranking_page():
        with engine.memo():
            ranking()

    from zhaoshang.activities.models import Activity

    # One activity in each of several units (every 97th unit in path order).
    edited = [
        Activity.objects.filter(unit=u, start_date__year=YEAR, start_date__month__lte=10).first()
        for u in units[::97]
    ]
    edited = [a for a in edited if a is not None]
    pending = itertools.cycle(edited)

    def edit_activity():
        activity = next(pending)
        activity.start_date = activity.start_date.replace(
            day=2 if activity.start_date.day == 1 else 1
        )
        activity.save()  # logged: advances the data serial

    # A busy hour between two pages: 300 activities of 300 units changed.
    busy = [
        a
        for a in (
            Activity.objects.filter(
                unit=u, start_date__year=YEAR, start_date__month__lte=10
            ).first()
            for u in units[::5][:300]
        )
        if a is not None
    ]

    def busy_hour():
        for activity in busy:
            activity.start_date = activity.start_date.replace(
                day=2 if activity.start_date.day == 1 else 1
            )
            activity.save()

    renamed = itertools.cycle(units[1::151])

    def rename_unit():
        unit = next(renamed)
        unit.name = unit.name[:-1] if unit.name.endswith("·") else unit.name + "·"
        unit.save()  # a unit's change: the tree is read again, the cubes are kept

    trips = Indicator.objects.get(code="trips")

    def rename_indicator():
        trips.name = "外出招商次数" if trips.name != "外出招商次数" else "外出招商（次）"
        trips.save()  # same counting rule: the same cubes

    def after(change, fn, new_process=False):
        def run():
            change()
            if new_process:
                engine.clear_shared_cubes()
            started = time.perf_counter()
            fn()
            return (time.perf_counter() - started) * 1000

        return run

    district = next(u for u in units if u.depth == 2 and u.kind == "district")
    district_url = f"/targets/?unit={district.pk}&period={period.code}"

    def district_dashboard():
        response = client.get(district_url)
        assert response.status_code == 200, response.status_code

    print(f"database: {connection.vendor}; units: {len(units)}; period {period.code}")
    cases = (
        ("province dashboard", dashboard, dashboard),
        ("full ranking, all units", ranking, ranking_page),
        (f"district dashboard ({district.name})", district_dashboard, district_dashboard),
    )
    changes = (
        ("after a change", edit_activity, False),
        ("new process", edit_activity, True),
        ("after a unit rename", rename_unit, False),
        ("after an indicator rename", rename_indicator, False),
        (f"after {len(busy)} changes", busy_hour, False),
    )
    for name, fn, page_fn in cases:
        statements, total = aggregate_sql(cold(fn))
        server = p50(cold(fn), args.runs)
        raw = p50(lambda s=statements: replay(s), args.runs)
        engine.warm()  # what writers and the nightly warm_figures leave behind
        warm = p50(page_fn, args.runs)
        print(
            f"{name}: from the records p50 {server:.1f} ms | raw SQL p50 {raw:.1f} ms "
            f"({len(statements)} aggregates of {total} queries) | ratio {server / raw:.2f} "
            f"| cached cubes p50 {warm:.1f} ms ({warm / raw:.2f} of the raw SQL)"
        )
        for case, change, new_process in changes:
            page_fn()
            run = after(change, page_fn, new_process)
            before = dict(engine.STATS)
            times = [run() for _ in range(args.runs)]
            done = {
                k: engine.STATS[k] - before.get(k, 0)
                for k in ("refreshed", "read", "loaded", "cut")
            }
            median = statistics.median(times)
            print(
                f"    {case:26s} p50 {median:7.1f} ms ({median / raw:.2f} of the raw SQL; "
                f"{done['refreshed']} cubes brought up to date, {done['loaded']} loaded from "
                f"the database, {done['cut']} cut from the whole tree's, {done['read']} read "
                f"whole, over {args.runs} requests)"
            )


if __name__ == "__main__":
    main()
