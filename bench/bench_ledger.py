"""Ledger response times on a generated data set (issue: ≤ 150 ms server time at p95).

    ZHAOSHANG_DATA_DIR=/tmp/zsprov .venv/bin/python bench/bench_ledger.py [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_prov .venv/bin/python bench/bench_ledger.py

The database must hold a generated data set (`manage.py generate --scale province`). The
requests go through Django's full stack in-process (middleware, scope, filters, table
rendering, template) as a province-level bureau user, who sees all 200,000 projects, and as
a district bureau user; server time is the wall time of each request. Prints p50 and p95 of
each case and the number of SQL queries per request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test settings serve static files without a collectstatic manifest.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings_test")
os.environ.setdefault("ZHAOSHANG_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhaoshang.organization.models import Unit, User  # noqa: E402
from zhaoshang.pipeline.models import Project  # noqa: E402


def bench_user(username, unit):
    user, _ = User.objects.get_or_create(username=username, defaults={"unit": unit})
    user.groups.set([Group.objects.get(name="bureau")])
    return user


def measure(client, url, runs):
    times = []
    queries = 0
    for i in range(runs + 2):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if i >= 2:  # the first two warm caches
            times.append(elapsed)
            queries = len(captured.captured_queries)
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    total = Project.objects.count()
    if total == 0:
        sys.exit("no projects: run `manage.py generate --scale province` first")
    root = Unit.objects.filter(parent__isnull=True).first()
    district = Unit.objects.filter(kind="district").order_by("code").first()
    street = Unit.objects.filter(parent=district, kind="street").order_by("code").first()
    province_user = bench_user("bench_province", root)
    district_user = bench_user("bench_district", district)
    fragment = Project.objects.order_by("pk")[total // 2].name[2:6]

    cases = [
        ("first page (whole province)", province_user, "/pipeline/projects/"),
        (
            "stage + subtree + 亿元以上",
            province_user,
            f"/pipeline/projects/?stage=signed&stage=started&within={district.pk}&flag=over_100m",
        ),
        (
            f"search '{fragment}' (whole province)",
            province_user,
            f"/pipeline/projects/?q={fragment}",
        ),
        ("first page (one district)", district_user, "/pipeline/projects/"),
        (
            "stage + street + 亿元以上",
            district_user,
            f"/pipeline/projects/?stage=signed&within={street.pk}&flag=over_100m",
        ),
        (f"search '{fragment}' (one district)", district_user, f"/pipeline/projects/?q={fragment}"),
    ]
    print(f"{connection.vendor}: {total:,} projects, {args.runs} runs per case")
    print(f"{'case':<40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, user, url in cases:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        p50, p95, queries = measure(client, url, args.runs)
        print(f"{name:<40} {p50:8.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
