"""The engine on ledgers as staff keep them: all or nothing, every problem with its row
and column, scope, matching, duplicates, undo."""

import datetime
from decimal import Decimal

import pytest
import xlsxwriter

from zhaoshang.imports import undo as undo_module
from zhaoshang.imports.declarations import PROJECT
from zhaoshang.imports.engine import Engine
from zhaoshang.imports.header import detect_header, split_unit
from zhaoshang.imports.models import BatchRow, ImportBatch
from zhaoshang.imports.reading import ImportFileError
from zhaoshang.imports.tests.helpers import project_rows, write_csv, write_xlsx
from zhaoshang.pipeline.models import Milestone, Project


def ledger(path, rows, header=("项目编号", "项目名称", "责任单位", "总投资（万元）", "项目阶段")):
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    workbook.close()
    return path


def test_one_bad_cell_in_row_5000_writes_nothing_and_names_row_and_column(
    world, run_import, tmp_path
):
    rows = [
        [f"A-{i:05d}", f"项目{i}", "东湖街道", f"{i % 90 + 1}亿", "在谈"] for i in range(2, 6001)
    ]
    rows[5000 - 2][3] = "待定"  # the sheet's row 5000 (row 1 is the header)
    plan, batch = run_import(ledger(tmp_path / "big.xlsx", rows), world.reporter_a)
    assert not plan.ok and batch is None
    assert [str(p) for p in plan.errors] == ["第5000行 D列 总投资：无法识别“待定”"]
    assert Project.objects.count() == 0
    # Committing anyway is refused, and still writes nothing.
    engine = Engine(PROJECT, world.reporter_a)
    engine.read(tmp_path / "big.xlsx")
    batch = ImportBatch.objects.create(
        record_type="project", file_name="big.xlsx", sha256="-", unit=world.street_a,
        user=world.reporter_a, file_format="xlsx",
    )  # fmt: skip
    with pytest.raises(ImportFileError):
        engine.commit(engine.validate(engine.header.columns), batch)
    assert Project.objects.count() == 0 and BatchRow.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing(world, run_import, tmp_path):
    engine = Engine(PROJECT, world.reporter_a)
    engine.read(write_xlsx(tmp_path / "a.xlsx", project_rows()))
    plan = engine.validate(engine.header.columns)
    batch = ImportBatch.objects.create(
        record_type="project", file_name="a.xlsx", sha256="-", unit=world.street_a,
        user=world.reporter_a, file_format="xlsx",
    )  # fmt: skip
    engine._record_rows = None  # the last step fails, after the records were written
    with pytest.raises(TypeError):
        engine.commit(plan, batch)
    assert Project.objects.count() == 0 and Milestone.objects.count() == 0


def test_the_same_file_twice_creates_nothing_new(world, run_import, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", project_rows())
    first, _batch = run_import(path, world.reporter_a)
    second, batch = run_import(path, world.reporter_a)
    assert len(first.creates) == 3
    assert (len(second.creates), len(second.updates), second.unchanged) == (0, 0, 3)
    assert Project.objects.count() == 3 and Milestone.objects.count() == 3
    assert batch.created_count == 0


def test_rows_without_a_code_match_by_name_and_unit(world, run_import, tmp_path):
    rows = [["", "东湖新能源电池项目", "东湖街道", "3.5亿", "在谈"]]
    run_import(ledger(tmp_path / "a.xlsx", rows), world.reporter_a)
    rows[0][3] = "4亿"
    plan, _batch = run_import(ledger(tmp_path / "b.xlsx", rows), world.reporter_a)
    assert (len(plan.creates), len(plan.updates)) == (0, 1)
    assert Project.objects.get().total_investment == Decimal("40000.00")


def test_undo_restores_exact_previous_values_field_by_field(world, run_import, tmp_path):
    before = [
        Project.objects.create(
            code="DH-001", name="旧名称一", responsible_unit=world.street_a, stage="lead",
            total_investment=Decimal("1234.56"), fixed_asset_investment=None,
            capital_origin="in_district", land_area=Decimal("7.25"),
        ),
        Project.objects.create(
            code="DH-002", name="东湖生物医药产业园", responsible_unit=world.community_a,
            stage="negotiating", total_investment=Decimal("20000"),
            fixed_asset_investment=Decimal("15000"), capital_origin="abroad",
            land_area=Decimal("85.5"),
        ),
    ]  # fmt: skip
    fields = [f.attname for f in Project._meta.concrete_fields]
    snapshot = {p.pk: Project.objects.filter(pk=p.pk).values(*fields).get() for p in before}
    plan, batch = run_import(write_xlsx(tmp_path / "a.xlsx", project_rows()), world.reporter_a)
    assert (len(plan.creates), len(plan.updates)) == (1, 2)
    changed = Project.objects.get(code="DH-001")
    assert (changed.name, changed.total_investment, changed.stage) == (
        "东湖新能源电池项目", Decimal("35000.00"), "signed",
    )  # fmt: skip
    assert changed.responsible_unit == world.street_a
    assert Milestone.objects.filter(project=changed, stage="signed").exists()
    undo_module.undo(batch, world.reporter_a)
    for pk, values in snapshot.items():
        assert Project.objects.filter(pk=pk).values(*fields).get() == values
    assert not Project.objects.filter(code="DH-003").exists()
    assert Milestone.objects.count() == 0


def test_undo_is_refused_once_a_record_was_changed_since(world, run_import, tmp_path):
    _plan, batch = run_import(write_xlsx(tmp_path / "a.xlsx", project_rows()), world.reporter_a)
    project = Project.objects.get(code="DH-001")
    project.name = "改过的名称"
    project.save()
    reasons = undo_module.blockers(batch)
    assert reasons == ["有 1 条项目在导入后又被修改过。"]
    with pytest.raises(undo_module.UndoRefused):
        undo_module.undo(batch, world.reporter_a)
    assert Project.objects.count() == 3


def test_a_reporter_of_street_a_cannot_import_street_b_rows(world, run_import, tmp_path):
    rows = project_rows()
    rows[1][3] = "西山街道"
    plan, batch = run_import(write_xlsx(tmp_path / "a.xlsx", rows), world.reporter_a)
    assert batch is None and Project.objects.count() == 0
    assert [str(p) for p in plan.errors] == [
        "第6行 责任单位：超出您的单位范围：只能导入本单位及下级单位的记录"
    ]
    # Nor change a street-B project through its code.
    Project.objects.create(code="DH-002", name="西山项目", responsible_unit=world.street_b)
    rows = project_rows()
    plan, batch = run_import(write_xlsx(tmp_path / "b.xlsx", rows), world.reporter_a)
    assert batch is None
    assert "第6行：已有记录不在您的单位范围内，不能修改" in [str(p) for p in plan.errors]
    # The bureau of the district may.
    plan, batch = run_import(write_xlsx(tmp_path / "b.xlsx", rows), world.bureau)
    assert plan.ok and batch.updated_count == 1


def test_duplicate_rows_inside_the_file(world, run_import, tmp_path):
    rows = project_rows()
    rows.append(list(rows[0]))  # the same row again: skipped with a note
    rows.append([*rows[1][:4], "9亿", *rows[1][5:]])  # the same code, other values: refused
    plan, _batch = run_import(write_xlsx(tmp_path / "a.xlsx", rows), world.reporter_a)
    assert [str(p) for p in plan.errors] == ["第9行：与第6行是同一条记录，但内容不同"]
    assert "第8行：与第5行完全相同，已跳过" in [str(w) for w in plan.warnings]


def test_header_units_and_two_row_headers(world):
    assert split_unit("总投资（亿元）") == ("总投资", "亿元")
    assert split_unit("投资额(万美元)") == ("投资额", "万美元")
    assert split_unit("面积/平方米") == ("面积", "平方米")
    rows = [
        ["2026年重点项目台账", "", "", ""],
        ["填报单位：东湖街道", "", "", ""],
        ["项目名称", "投资额(万美元)", "计划总投资（亿元）", "签约时间"],
        ["东湖项目", 120, "3.5", "2024.3.8"],
    ]
    header = detect_header(PROJECT, rows)
    assert header.row_index == 2 and header.reporting_unit == "东湖街道"
    assert [c["field"] for c in header.columns] == [
        "name", "contracted_fdi", "total_investment", "date_signed",
    ]  # fmt: skip


def test_mapping_corrections_and_the_reporting_unit_line(world, run_import, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        ["项目名称", "金额（亿元）", "备注"],
        [["东湖项目", "3.5", "重点"]],
    )
    engine = Engine(PROJECT, world.reporter_a)
    header = engine.read(path)
    assert [c["field"] for c in header.columns] == ["name", "", ""]
    columns = [{**c, "field": "total_investment" if c["index"] == 1 else c["field"]}
               for c in header.columns]  # fmt: skip
    plan, _batch = run_import(path, world.reporter_a, columns=columns)
    project = Project.objects.get()
    assert project.total_investment == Decimal("35000.00")
    assert project.responsible_unit == world.street_a  # the reporter's own unit


def test_a_missing_required_column_is_named(world, run_import, tmp_path):
    path = write_csv(tmp_path / "a.csv", ["项目编号", "总投资"], [["X-1", "3亿"]])
    with pytest.raises(ImportFileError):
        run_import(write_csv(tmp_path / "b.csv", ["甲", "乙"], [["1", "2"]]), world.reporter_a)
    plan, _batch = run_import(path, world.reporter_a)
    assert [str(p) for p in plan.errors] == ["文件中没有必填项“名称”对应的列。"]


def test_one_sheet_per_unit_and_formulas_read_as_their_values(world, run_import, tmp_path):
    path = tmp_path / "units.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    for unit, name, formula_value in (("东湖街道", "东湖项目", 3), ("东湖社区", "社区项目", 5)):
        sheet = workbook.add_worksheet(unit)
        sheet.write(0, 0, f"填报单位：{unit}")
        sheet.write_row(1, 0, ["项目名称", "投资额（亿元）", "固定资产投资（亿元）"])
        sheet.write_row(2, 0, [name, 1])
        sheet.write_formula(2, 2, "=B3*2+1", None, formula_value)  # cached value as saved
    workbook.close()
    plan, batch = run_import(path, world.reporter_a)
    assert plan.ok, [str(p) for p in plan.errors]
    assert sorted(
        Project.objects.values_list("name", "responsible_unit__name", "fixed_asset_investment")
    ) == [
        ("东湖项目", "东湖街道", Decimal("30000.00")),
        ("社区项目", "东湖社区", Decimal("50000.00")),
    ]


def test_undo_is_refused_once_records_point_at_what_it_created(world, run_import, tmp_path):
    from zhaoshang.pipeline.models import Approval

    _plan, batch = run_import(write_xlsx(tmp_path / "a.xlsx", project_rows()), world.reporter_a)
    assert undo_module.blockers(batch) == []
    Approval.objects.create(
        project=Project.objects.get(code="DH-003"), name="环评", deadline=datetime.date(2026, 6, 1)
    )
    assert "导入后新增了 1 条审批事项，引用了本次导入的记录。" in undo_module.blockers(batch)


def test_commit_and_undo_mark_cached_figures_stale(
    world, run_import, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    from zhaoshang.core import changelog
    from zhaoshang.core.models import DataVersion
    from zhaoshang.targets.models import StoredCube

    # The test's transaction stands for committed data: figures may be shared and stored.
    monkeypatch.setattr(changelog, "serial_uncommitted", lambda conn: False)
    version = DataVersion.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _plan, batch = run_import(write_xlsx(tmp_path / "a.xlsx", project_rows()), world.reporter_a)
    after_import = DataVersion.current()
    assert after_import != version
    # Once committed, this year's figures were read again under the new token.
    assert callbacks
    assert set(StoredCube.objects.values_list("token", flat=True)) == {after_import[0]}
    undo_module.undo(batch, world.reporter_a)
    assert DataVersion.current() != after_import
