#!/usr/bin/env python
"""Excel export benchmark: our streamed export against django-tables2's own and the floor.

    .venv/bin/python bench/bench_export.py [--rows 200000] [--runs 3]

Builds a scratch SQLite database (ZHAOSHANG_DATA_DIR in a temporary folder), migrates it,
creates a project-like ledger table (`bench_project`: name, responsible unit (FK), stage
(choices), industry, total investment / foreign investment / land (Decimal), signing date,
last update (datetime), key-project flag, contact phone, notes) and bulk-inserts N rows
with 60 units. Then, each in a fresh subprocess so that peak memory is its own (VmHWM),
the median of `--runs` runs of:

  ours    core.export.write_workbook: values_list().iterator() -> xlsxwriter constant_memory
  tablib  django-tables2's TableExport("xlsx", table): every cell rendered, via tablib
  floor   xlsxwriter constant_memory writing the same, already converted rows from memory
          (only the writing is timed)

Prints rows/s, peak RSS and the ratios ours/tablib (goal >= 3x) and ours/floor (>= 70%).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


VARIANTS = ("ours", "tablib", "floor")


def setup_django(data_dir):
    os.environ["ZHAOSHANG_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def define():
    """The bench model and its ledger table (defined after django.setup())."""
    import django_tables2 as tables
    from django.db import models

    from zhaoshang.core.tables import BaseTable

    class Stage(models.TextChoices):
        SIGNED = "signed", "已签约"
        STARTED = "started", "已开工"
        PRODUCING = "producing", "已投产"

    class BenchProject(models.Model):
        name = models.CharField("项目名称", max_length=200)
        unit = models.ForeignKey(
            "organization.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
        )
        stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
        industry = models.CharField("产业", max_length=50)
        total_investment = models.DecimalField("总投资（万元）", max_digits=14, decimal_places=2)
        fdi = models.DecimalField("外资（万美元）", max_digits=14, decimal_places=2, null=True)
        land_area = models.DecimalField("用地（亩）", max_digits=10, decimal_places=2)
        signed_on = models.DateField("签约日期")
        updated_at = models.DateTimeField("更新时间")
        is_key = models.BooleanField("重点项目", default=False)
        contact_phone = models.CharField("联系电话", max_length=20)
        notes = models.TextField("备注", blank=True)

        class Meta:
            app_label = "core"
            db_table = "bench_project"
            verbose_name = verbose_name_plural = "项目"

        def __str__(self):
            return self.name

    class BenchTable(BaseTable):
        name = tables.Column()

        class Meta(BaseTable.Meta):
            model = BenchProject
            fields = (
                "name",
                "unit",
                "stage",
                "industry",
                "total_investment",
                "fdi",
                "land_area",
                "signed_on",
                "updated_at",
                "is_key",
                "contact_phone",
                "notes",
            )

    return BenchProject, BenchTable


def build(data_dir, rows):
    setup_django(data_dir)
    import random
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from zhaoshang.organization.choices import UnitKind
    from zhaoshang.organization.models import Unit

    call_command("migrate", verbosity=0)
    model, _ = define()
    with connection.schema_editor() as editor:
        editor.create_model(model)
    district = Unit.objects.create(code="D", name="临江区", kind=UnitKind.DISTRICT)
    units = [
        Unit.objects.create(code=f"S{i}", name=f"街道{i}", kind=UnitKind.STREET, parent=district)
        for i in range(60)
    ]
    rng = random.Random(7)
    industries = ["新一代信息技术", "生物医药", "高端装备", "新材料", "现代服务业"]
    start, now = date(2020, 1, 1), datetime(2026, 1, 1, tzinfo=UTC)
    batch = []
    for i in range(rows):
        batch.append(
            model(
                name=f"临江区第{i}号智能制造产业园项目",
                unit=units[i % len(units)],
                stage=rng.choice(["signed", "started", "producing"]),
                industry=rng.choice(industries),
                total_investment=Decimal(rng.randint(100, 10_000_000)) / 100,
                fdi=None if i % 3 else Decimal(rng.randint(1, 900_000)) / 100,
                land_area=Decimal(rng.randint(100, 50_000)) / 100,
                signed_on=start + timedelta(days=rng.randint(0, 2000)),
                updated_at=now - timedelta(minutes=rng.randint(0, 2_000_000)),
                is_key=i % 7 == 0,
                contact_phone=f"139{rng.randint(0, 99_999_999):08d}",
                notes="=1+1 需核实" if i % 50 == 0 else "企业已完成备案，正在办理规划许可",
            )
        )
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def peak_rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_variant(data_dir, variant, out):
    setup_django(data_dir)
    from django.contrib.auth.models import AnonymousUser

    model, table_class = define()
    queryset = model.objects.select_related("unit").order_by("id")
    count = queryset.count()
    if variant == "ours":
        from zhaoshang.core.export import write_workbook

        began = time.perf_counter()
        table = table_class(queryset)
        written = write_workbook(out, table, table.data.data, AnonymousUser(), title="项目")
        seconds = time.perf_counter() - began
        assert written == count, (written, count)
    elif variant == "tablib":
        from django_tables2.export import TableExport

        began = time.perf_counter()
        table = table_class(queryset)
        Path(out).write_bytes(TableExport("xlsx", table).export())
        seconds = time.perf_counter() - began
    else:
        import xlsxwriter

        from zhaoshang.core.export import neutralise

        # The same cells, already converted, in memory; only the writing is timed.
        table = table_class(queryset)
        from zhaoshang.core.export import plan_columns

        columns, _ = plan_columns(table)
        labels = {u.pk: str(u) for u in model._meta.get_field("unit").related_model.objects.all()}
        stages = dict(model._meta.get_field("stage").flatchoices)
        from django.utils import timezone

        rows = [
            (
                neutralise(r[0]),
                labels[r[1]],
                str(stages[r[2]]),
                r[3],
                float(r[4]),
                None if r[5] is None else float(r[5]),
                float(r[6]),
                r[7],
                timezone.localtime(r[8]).replace(tzinfo=None),
                "是" if r[9] else "否",
                r[10],
                neutralise(r[11]),
            )
            for r in queryset.values_list(*[c.path for c in columns])
        ]
        began = time.perf_counter()
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
        sheet = workbook.add_worksheet("项目")
        money = workbook.add_format({"num_format": "#,##0.00"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        kinds = [None, None, None, None, money, money, money, day, stamp, None, None, None]
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column.header)
        ws, wn, wd = sheet.write_string, sheet.write_number, sheet.write_datetime
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                fmt = kinds[c]
                if fmt is None:
                    ws(r, c, value)
                elif fmt is money:
                    wn(r, c, value, fmt)
                else:
                    wd(r, c, value, fmt)
        workbook.close()
        seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "rows": count, "peak_mb": peak_rss_mb()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--variant", choices=("build", "ours", "tablib", "floor"), help=argparse.SUPPRESS
    )
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant == "build":
        build(args.data_dir, args.rows)
        return
    if args.variant is not None:
        assert args.data_dir, "--variant runs inside a prepared --data-dir"
        run_variant(args.data_dir, args.variant, os.path.join(args.data_dir, "out.xlsx"))
        return
    with tempfile.TemporaryDirectory(prefix="zs-bench-export-") as data_dir:
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--variant", "build", "--rows", str(args.rows)]
            + ["--data-dir", data_dir],
            check=True,
        )
        print(f"built {args.rows} rows in {time.perf_counter() - began:.1f} s", flush=True)
        # Rounds interleave the variants, so that a busy machine slows them all alike.
        runs = {variant: [] for variant in VARIANTS}
        for _ in range(args.runs):
            for variant in VARIANTS:
                done = subprocess.run(
                    [sys.executable, __file__, "--variant", variant, "--data-dir", data_dir],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                runs[variant].append(json.loads(done.stdout.strip().splitlines()[-1]))
        results = {}
        for variant in VARIANTS:
            seconds = statistics.median(r["seconds"] for r in runs[variant])
            rate = runs[variant][0]["rows"] / seconds
            peak = max(r["peak_mb"] for r in runs[variant])
            results[variant] = rate
            print(f"{variant:7} {rate:10,.0f} rows/s  median {seconds:6.2f} s  peak {peak:5.0f} MB")
        print(f"ours/tablib {results['ours'] / results['tablib']:.1f}x (goal >= 3x)")
        print(f"ours/floor  {results['ours'] / results['floor']:.0%} (goal >= 70%)")


if __name__ == "__main__":
    main()
