"""Ledger import: ours (validate + commit) against django-import-export on the same file and
model, each run in its own subprocess on a fresh copy of a migrated database.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--runs 3] [--default-runs 1]
                                           [--only ours,iefast,iedef]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_import.py

The file is a project ledger (.xlsx, header in row 1 so that django-import-export reads it
too): Chinese names, 10 streets as responsible units, 总投资（万元） written as "3.5亿",
"3,500万" or a plain number, stage words (已签约, 在谈 …), 签约日期 as 2024.3.8 or 2024年3月8日.
Contenders:
  ours     Engine.read + validate + commit (also writes a milestone per 签约日期)
  iedef    django-import-export, a ModelResource with the documented defaults
  iefast   the same resource with its fastest documented options: use_bulk, skip_diff,
           force_init_instance (batch_size 1000)
Both sides parse the amounts and stage words with the same functions (our parsers as the
resource's widgets), so the difference is the machinery, not the parsing.
Prints rows/s (median of the runs) and peak RSS (VmHWM) per contender; the rounds
interleave the contenders.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.gettempdir()) / "zs-bench-import"
STREETS = [f"第{i}街道" for i in range(1, 11)]
STAGES = ["在谈", "已签约", "已开工", "线索", "已投产"]
KINDS = ["新能源", "生物医药", "智能制造", "数字经济", "新材料", "现代物流", "文旅", "半导体"]
BRANDS = "恒锐瑞通华鼎远航星辰海纳金科创宏达博泰安信德润"
HEADER = ["项目编号", "项目名称", "责任单位", "总投资（万元）", "项目阶段", "签约日期", "主导产业"]


def make_file(path, rows, seed=7):
    import xlsxwriter

    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("项目台账")
    sheet.write_row(0, 0, HEADER)
    for i in range(1, rows + 1):
        amount = rng.choice(
            [
                f"{rng.randint(1, 99) / 10}亿",
                f"{rng.randint(100, 9999):,}万",
                rng.randint(100, 99999),
            ]
        )
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(1800))
        signed = rng.choice([f"{day.year}.{day.month}.{day.day}", f"{day:%Y年%-m月%-d日}"])
        sheet.write_row(
            i,
            0,
            [
                f"BX-{i:06d}",
                f"{rng.choice(BRANDS)}{rng.choice(BRANDS)}{rng.choice(KINDS)}项目{i}",
                rng.choice(STREETS),
                amount,
                rng.choice(STAGES),
                signed,
                rng.choice(KINDS),
            ],
        )
    workbook.close()


def django_env(database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhaoshang.settings",
        "DATABASE_URL": database_url,
        "ZHAOSHANG_DATA_DIR": str(WORK / "data"),
        "PYTHONPATH": str(ROOT),
    }


def prepare_template(postgres_url):
    """A migrated database with a district, its streets and a bureau user."""
    if postgres_url:
        url = postgres_url.rsplit("/", 1)[0] + "/zs_bench_import"
        subprocess.run(["psql", postgres_url, "-qc", "DROP DATABASE IF EXISTS zs_bench_import"],
                       check=True)  # fmt: skip
        subprocess.run(["psql", postgres_url, "-qc", "CREATE DATABASE zs_bench_import"], check=True)
    else:
        url = f"sqlite:///{WORK / 'template.sqlite3'}"
        (WORK / "template.sqlite3").unlink(missing_ok=True)
    env = django_env(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, __file__, "--setup", url], cwd=ROOT, env=env, check=True
    )  # fmt: skip
    return url


def setup_world():
    from django.contrib.auth.models import Group

    from zhaoshang.organization.choices import Role, UnitKind
    from zhaoshang.organization.models import Unit, User

    district = Unit.objects.create(code="BD", name="基准区", kind=UnitKind.DISTRICT)
    for i, name in enumerate(STREETS, 1):
        Unit.objects.create(code=f"BD{i:02d}", name=name, kind=UnitKind.STREET, parent=district)
    user = User.objects.create_user(username="bench", password="x", unit=district)
    user.groups.set(Group.objects.filter(name=Role.BUREAU.value))


def fresh_database(template_url, postgres_url):
    """A copy of the template database for one run."""
    if postgres_url:
        base = postgres_url.rsplit("/", 1)[0]
        for sql in (
            "DROP DATABASE IF EXISTS zs_bench_run",
            "CREATE DATABASE zs_bench_run TEMPLATE zs_bench_import",
        ):
            subprocess.run(["psql", postgres_url, "-qc", sql], check=True)
        return base + "/zs_bench_run"
    run = WORK / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{run}{suffix}").unlink(missing_ok=True)
    shutil.copy(WORK / "template.sqlite3", run)
    return f"sqlite:///{run}"


# Workers (run in the subprocess) ----------------------------------------------------------
def peak_rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_ours(path):
    from zhaoshang.imports.declarations import PROJECT
    from zhaoshang.imports.engine import Engine
    from zhaoshang.imports.models import ImportBatch
    from zhaoshang.organization.models import User

    user = User.objects.get(username="bench")
    started = time.perf_counter()
    engine = Engine(PROJECT, user)
    header = engine.read(path)
    plan = engine.validate(header.columns)
    assert plan.ok, [str(p) for p in plan.errors[:5]]
    batch = ImportBatch.objects.create(
        record_type="project", file_name=path.name, sha256="-", file_format="xlsx",
        unit=user.unit, user=user,
    )  # fmt: skip
    engine.commit(plan, batch)
    return time.perf_counter() - started, len(plan.creates)


def import_export_resource(fast):
    from import_export import fields, resources, widgets

    from zhaoshang.imports.parsing import parse_date, parse_quantity
    from zhaoshang.organization.models import Unit
    from zhaoshang.pipeline.models import Project

    class AmountWidget(widgets.DecimalWidget):
        def clean(self, value, row=None, **kwargs):
            return parse_quantity(value, "万元", "万元")[0]

    stage_words = {"线索": "lead", "在谈": "negotiating", "已签约": "signed",
                   "已开工": "started", "已投产": "completed"}  # fmt: skip

    class StageWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return stage_words[value]

    class SignedWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return parse_date(value)[0]

    class ProjectResource(resources.ModelResource):
        code = fields.Field(attribute="code", column_name="项目编号")
        name = fields.Field(attribute="name", column_name="项目名称")
        responsible_unit = fields.Field(
            attribute="responsible_unit",
            column_name="责任单位",
            widget=widgets.ForeignKeyWidget(Unit, field="name"),
        )
        total_investment = fields.Field(
            attribute="total_investment", column_name="总投资（万元）", widget=AmountWidget()
        )
        stage = fields.Field(attribute="stage", column_name="项目阶段", widget=StageWidget())
        focus_industry = fields.Field(attribute="focus_industry", column_name="主导产业")

        class Meta:
            model = Project
            import_id_fields = ["code"]
            fields = ("code", "name", "responsible_unit", "total_investment", "stage",
                      "focus_industry")  # fmt: skip
            if fast:
                use_bulk = True
                batch_size = 1000
                skip_diff = True
                force_init_instance = True

    return ProjectResource()


def run_import_export(path, fast):
    import tablib

    resource = import_export_resource(fast)
    started = time.perf_counter()
    with open(path, "rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    del dataset["签约日期"]
    result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return time.perf_counter() - started, result.totals.get("new", 0)


def worker(kind, path):
    import django

    django.setup()
    from zhaoshang.pipeline.models import Project

    path = Path(path)
    if kind == "ours":
        seconds, created = run_ours(path)
    else:
        seconds, created = run_import_export(path, fast=kind == "iefast")
    stored = Project.objects.count()
    print(json.dumps({"seconds": seconds, "created": created, "stored": stored,
                      "peak_mb": peak_rss_mb()}))  # fmt: skip


LABELS = {
    "ours": "ours (validate + commit)",
    "iedef": "django-import-export, default ModelResource",
    "iefast": "django-import-export, use_bulk + skip_diff + force_init_instance",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--default-runs",
        type=int,
        help="runs of the slow default django-import-export (default: --runs)",
    )
    parser.add_argument("--only", default="ours,iefast,iedef")
    parser.add_argument("--worker")
    parser.add_argument("--setup")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.setup:
        import django

        django.setup()
        setup_world()
        return
    if args.worker:
        worker(args.worker, args.file)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    postgres_url = os.environ.get("DATABASE_URL", "")
    path = WORK / f"projects-{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        make_file(path, args.rows)
        print(f"file: {path} ({path.stat().st_size / 1e6:.1f} MB, "
              f"{time.perf_counter() - started:.1f}s to write)")  # fmt: skip
    template = prepare_template(postgres_url)
    database = "PostgreSQL" if postgres_url else "SQLite"
    print(f"{args.rows:,} rows on {database}, median of {args.runs} runs "
          f"({args.default_runs or args.runs} of the default django-import-export)")  # fmt: skip
    kinds = args.only.split(",")
    counts = {k: args.default_runs if k == "iedef" and args.default_runs else args.runs
              for k in kinds}  # fmt: skip
    runs = {k: [] for k in kinds}
    # Rounds interleave the contenders, so that a change in the machine's load (it is
    # shared) falls on all of them alike.
    for round_ in range(max(counts.values())):
        for kind in kinds:
            if round_ >= counts[kind]:
                continue
            url = fresh_database(template, postgres_url)
            out = subprocess.run(
                [sys.executable, __file__, "--worker", kind, "--file", str(path)],
                cwd=ROOT, env=django_env(url), capture_output=True, text=True,
            )  # fmt: skip
            if out.returncode:
                sys.exit(f"{kind} failed:\n{out.stderr[-3000:]}")
            run = json.loads(out.stdout.strip().splitlines()[-1])
            assert run["stored"] == args.rows, run
            runs[kind].append(run)
            print(f"    round {round_ + 1} {kind}: {run['seconds']:.2f} s", flush=True)
    results = {}
    for kind in kinds:
        seconds = statistics.median(r["seconds"] for r in runs[kind])
        peak = max(r["peak_mb"] for r in runs[kind])
        results[kind] = args.rows / seconds
        print(f"  {LABELS[kind]:<66} {seconds:7.2f} s {args.rows / seconds:9,.0f} rows/s "
              f"peak {peak:5.0f} MB", flush=True)  # fmt: skip
    if "ours" in results:
        for kind, goal in (("iedef", 10), ("iefast", 2)):
            if kind in results:
                ratio = results["ours"] / results[kind]
                verdict = "met" if ratio >= goal else "NOT met"
                print(f"  ours / {kind}: {ratio:.1f}x (goal {goal}x: {verdict})")


if __name__ == "__main__":
    main()
