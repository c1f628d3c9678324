"""Ledger import in a real browser: upload a ledger, correct one column's field, see the
counts in the preview, import, find the records in the project ledger, undo, and they are
gone."""

import re

import pytest
import xlsxwriter

from zhaoshang.pipeline.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# SHA-256 is a name; the file name and codes are data.
ALLOWED = {"SHA", "xlsx", "csv", "ods", "xls", "Excel", "WPS", "LibreOffice", "CSV", "UTF", "GBK"}


def visible_english(page):
    text = page.inner_text("main, .page-body") if page.query_selector(".page-body") else ""
    return sorted({w for w in ASCII_WORD.findall(text) if w not in ALLOWED})


def make_ledger(path):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("东湖街道")
    sheet.merge_range(0, 0, 0, 5, "2026年东湖街道招商项目台账")
    sheet.merge_range(1, 0, 1, 5, "填报单位：东湖街道    填报日期：2026年4月1日")
    sheet.write_row(2, 0, ["序号", "项目名称", "项目编号", "金额（亿元）", "项目阶段", "签约日期"])
    rows = [
        [1, "东湖新能源电池项目", "DH-101", 3.5, "已签约", "2026.3.8"],
        [2, "东湖生物医药产业园", "DH-102", "约2", "在谈", ""],
        [3, "东湖智能制造基地", "DH-103", "0.3", "已开工", "2026年1月5日"],
    ]
    for r, row in enumerate(rows, start=3):
        sheet.write_row(r, 0, row)
    workbook.close()
    return path


def test_upload_correct_a_column_preview_import_and_undo(
    world, page, browser_login, screenshot, tmp_path
):
    path = make_ledger(tmp_path / "东湖街道项目台账.xlsx")
    browser_login("reporter_a")
    page.goto("/imports/")
    page.click("[data-testid=new-import]")
    page.select_option("#id_record_type", value="project")
    program = tmp_path / "台账.xlsx"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 2000)
    page.set_input_files("#id_file", str(program))
    page.click("[data-testid=upload]")
    assert "可执行程序" in page.inner_text("[data-testid=error-file]")
    page.set_input_files("#id_file", str(path))
    assert page.inner_text("[data-testid=file-name]") == "东湖街道项目台账.xlsx"
    screenshot(page, "import-upload")
    assert visible_english(page) == []
    page.click("[data-testid=upload]")

    # Mapping: 金额（亿元） is not a known header; the user says it is the total investment.
    page.wait_for_selector("[data-testid=mapping-table]")
    select = page.locator("select[data-header='金额（亿元）']")
    assert select.input_value() == ""
    select.select_option(label="总投资（万元）")
    assert page.locator("select[data-header='项目名称']").input_value() == "name"
    screenshot(page, "import-mapping")
    assert visible_english(page) == []
    page.click("[data-testid=to-preview]")

    page.wait_for_selector("[data-testid=counts]")
    assert page.inner_text("[data-testid=count-create]") == "3"
    assert page.inner_text("[data-testid=count-update]") == "0"
    assert "约2" in page.inner_text("[data-testid=warnings]")
    screenshot(page, "import-preview")
    assert visible_english(page) == []
    page.click("[data-testid=commit]")

    page.wait_for_selector("[data-testid=batch-info]")
    assert "新增 3 条" in page.inner_text("[data-testid=batch-counts]")
    screenshot(page, "import-batch")
    assert visible_english(page) == []
    assert Project.objects.get(code="DH-101").total_investment == 35000
    assert Project.objects.get(code="DH-102").total_investment == 20000

    page.click("[data-testid=to-ledger]")
    page.wait_for_selector("table")
    ledger = page.inner_text("body")
    for name in ("东湖新能源电池项目", "东湖生物医药产业园", "东湖智能制造基地"):
        assert name in ledger

    page.go_back()
    page.wait_for_selector("[data-testid=undo]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=undo]")
    page.wait_for_selector("[data-testid=batch-status]")
    assert page.inner_text("[data-testid=batch-status]") == "已撤销"
    screenshot(page, "import-undone")
    assert Project.objects.count() == 0
    page.goto("/pipeline/projects/")
    assert "东湖新能源电池项目" not in page.inner_text("body")
    page.goto("/imports/")
    assert "东湖街道项目台账.xlsx" in page.inner_text("[data-testid=batch-table]")
    screenshot(page, "import-list")
