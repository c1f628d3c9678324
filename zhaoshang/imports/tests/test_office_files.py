"""Files saved by a real office suite (LibreOffice headless: .xlsx, .xls, .ods) and a GBK
CSV of the same sheet import to identical records."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from zhaoshang.imports.undo import undo
from zhaoshang.pipeline.models import Milestone, Project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FILES = ["ledger-libreoffice.xlsx", "ledger-libreoffice.xls", "ledger-libreoffice.ods",
         "ledger-gbk.csv"]  # fmt: skip
FIELDS = ("code", "name", "responsible_unit__name", "stage", "total_investment",
          "fixed_asset_investment", "capital_origin", "land_area")  # fmt: skip


def snapshot():
    projects = list(Project.objects.order_by("code").values_list(*FIELDS))
    milestones = list(
        Milestone.objects.order_by("project__code", "date").values_list(
            "project__code", "stage", "from_stage", "date"
        )
    )
    return projects, milestones


@pytest.mark.parametrize("name", FILES)
def test_each_office_file_imports_the_ledger(world, run_import, name):
    plan, batch = run_import(FIXTURES / name, world.reporter_a)
    assert plan.ok, [str(p) for p in plan.errors]
    projects, milestones = snapshot()
    assert projects == [
        ("DH-001", "东湖新能源电池项目", "东湖街道", "signed", Decimal("35000.00"),
         Decimal("20000.00"), "out_of_province", Decimal("120.00")),
        ("DH-002", "东湖生物医药产业园", "东湖街道", "negotiating", Decimal("20000.00"),
         Decimal("15000.00"), "abroad", Decimal("85.50")),
        ("DH-003", "东湖智能制造基地", "东湖街道", "started", Decimal("3000.00"), None,
         "out_of_district", None),
        ("DH-004", "东湖数字经济总部", "东湖街道", "signed", Decimal("8800.50"),
         Decimal("6000.00"), "out_of_city", Decimal("12.00")),
    ]  # fmt: skip
    assert milestones == [
        ("DH-001", "signed", "", datetime.date(2026, 3, 8)),
        ("DH-003", "signed", "", datetime.date(2026, 1, 5)),
        ("DH-003", "started", "signed", datetime.date(2026, 3, 1)),
        ("DH-004", "signed", "", datetime.date(2025, 12, 20)),
    ]
    # "约2亿" is kept as 2亿 with a note naming its row and column (the CSV has a one-row
    # header, so its data start a row earlier).
    row = 5 if name.endswith(".csv") else 6
    notes = [str(w) for w in plan.warnings]
    assert f"第{row}行 D列 总投资：“约2亿”为约数，按2亿计" in notes, notes
    assert batch.created_count == 4


def test_all_formats_give_identical_records(world, run_import):
    seen = []
    for name in FILES:
        _plan, batch = run_import(FIXTURES / name, world.reporter_a)
        seen.append(snapshot())
        undo(batch, world.reporter_a)
        assert Project.objects.count() == 0
    assert all(s == seen[0] for s in seen[1:])
