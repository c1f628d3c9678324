"""Projects in a real browser: create one, move it lead → negotiating → signed → started with
dates, see the timeline with durations; an advisor submits a lead and sees only it."""

import datetime
import re

import pytest

from zhaoshang.pipeline.models import Approval, Lead, Project

# reset_sequences: the flush between tests re-creates the content types; with the same ids
# the server's cached ContentType rows (used by the change log) stay valid.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# IP and KB are units; "pdf" is the extension of an uploaded file name (data).
ALLOWED = {"IP", "KB", "pdf"}


def visible_english(page):
    text = page.inner_text("body")
    # Project codes (P2026-000001) and file names are data, not UI text.
    return sorted({w for w in ASCII_WORD.findall(text) if w not in ALLOWED})


def move(page, stage_label, date, reason=""):
    page.click("[data-testid=move-stage]")
    page.select_option("#id_stage", label=stage_label)
    page.fill("#id_date", date)
    if reason:
        page.fill("#id_reason", reason)
    page.click("form.card button[type=submit]")


def test_create_project_move_through_stages_and_see_timeline(
    world, page, browser_login, screenshot
):
    browser_login("reporter_a")
    page.goto("/pipeline/projects/add/")
    page.fill("#id_name", "东湖新能源电池项目")
    page.select_option("#id_stage", label="线索")
    page.fill("#id_stage_date", "2026-01-05")
    page.select_option("#id_responsible_unit", label="东湖街道")
    page.select_option("#id_industry", value="C")
    page.fill("#id_total_investment", "120000")
    page.fill("#id_contracted_fdi", "12000")
    page.select_option("#id_capital_origin", value="abroad")
    page.fill("#id_land_area", "85.5")
    page.select_option("#id_land_use", value="industrial")
    screenshot(page, "project-form")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=timeline]")
    project = Project.objects.get(name="东湖新能源电池项目")
    assert project.code.startswith("P20")

    move(page, "在谈", "2026-01-20")
    move(page, "签约", "2026-03-01")
    # A move dated in the future is refused in Chinese, the typed values kept.
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    move(page, "开工", future)
    assert "未来" in page.inner_text("[data-testid=error-date]")
    screenshot(page, "project-move")
    assert page.input_value("#id_date") == future
    page.fill("#id_date", "2026-04-05")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=timeline]")

    timeline = page.inner_text("[data-testid=timeline]")
    for text in ("线索", "在谈", "签约", "开工", "2026-01-05", "2026-04-05", "签约 → 开工：35天"):
        assert text in timeline, text
    assert "签约→开工 35天" in timeline
    flags = page.inner_text("[data-testid=flags]")
    assert "10亿元以上" in flags and "1亿美元以上" in flags and "外资" in flags
    project.refresh_from_db()
    assert project.stage == "started"

    Approval.objects.create(project=project, name="环评", deadline=datetime.date(2026, 4, 1))
    Approval.objects.create(project=project, name="施工许可", deadline=datetime.date(2099, 1, 1))
    page.reload()
    assert "1 项逾期" in page.inner_text("[data-testid=approvals]")
    # Evidence: a renamed executable is refused, a real PDF is accepted.
    page.click("text=上传佐证材料")
    page.select_option("#id_kind", label="合同")
    page.set_input_files(
        "#id_file", {"name": "合同.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}
    )
    page.click("form.card button[type=submit]")
    assert "只允许" in page.inner_text("[data-testid=error-file]")
    page.set_input_files(
        "#id_file",
        {"name": "投资合同.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
    )
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=timeline]")
    assert "投资合同.pdf" in page.inner_text("[data-testid=evidence]")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "project-detail")

    page.goto("/pipeline/projects/")
    assert "东湖新能源电池项目" in page.inner_text("table")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "project-list")

    page.goto("/pipeline/approvals/?overdue=true")
    assert "环评" in page.inner_text("table") and "施工许可" not in page.inner_text("table")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "project-approvals")


def test_advisor_submits_lead_and_reporter_converts_it(world, page, browser_login, screenshot):
    Lead.objects.create(
        unit=world.street_a, enterprise_name="别人提交的线索", channel="team", summary="x"
    )
    browser_login("advisor_a")
    page.goto("/pipeline/leads/add/")
    page.fill("#id_enterprise_name", "江南储能科技有限公司")
    page.select_option("#id_channel", label="顾问")
    page.fill("#id_intended_investment", "30000")
    page.fill("#id_summary", "企业计划在长三角新建储能电池基地，已初步接洽。")
    screenshot(page, "lead-advisor-form")
    page.click("form.card button[type=submit]")
    page.goto("/pipeline/leads/")
    table = page.inner_text("table")
    assert "江南储能科技有限公司" in table and "别人提交的线索" not in table
    assert visible_english(page) == [], visible_english(page)

    page.context.clear_cookies()
    browser_login("reporter_a")
    page.goto("/pipeline/leads/")
    screenshot(page, "lead-list")
    page.click("text=江南储能科技有限公司")
    page.wait_for_url("**/leads/*/")
    page.click("[data-testid=verify]")
    page.wait_for_selector("[data-testid=convert]")
    page.click("[data-testid=convert]")
    page.wait_for_url("**/convert/")
    page.fill("#id_stage_date", "2026-02-01")
    screenshot(page, "lead-convert")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=timeline]")
    assert "在谈" in page.inner_text("[data-testid=timeline]")
    assert Project.objects.get().lead.enterprise_name == "江南储能科技有限公司"
    page.goto(Lead.objects.get(enterprise_name="江南储能科技有限公司").get_absolute_url())
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "lead-detail")


def test_reporter_filters_the_project_ledger_by_stage_and_exports_the_same_rows(
    world, page, browser_login, tmp_path
):
    from decimal import Decimal

    from openpyxl import load_workbook

    stages = ["signed", "signed", "started", "negotiating", "signed"]
    for i, stage in enumerate(stages):
        Project.objects.create(
            name=f"东湖项目{i}",
            responsible_unit=world.street_a,
            stage=stage,
            total_investment=Decimal(10000 + i),
        )
    Project.objects.create(name="西山签约项目", responsible_unit=world.street_b, stage="signed")
    browser_login("reporter_a")
    page.goto("/pipeline/projects/")
    page.select_option("#id_stage", label="签约")
    page.click(".filter-card button[type=submit]")
    page.wait_for_url("**stage=signed*")
    codes = [t.strip() for t in page.locator("table tbody tr td:first-child").all_inner_texts()]
    expected = sorted(
        Project.objects.filter(responsible_unit=world.street_a, stage="signed").values_list(
            "code", flat=True
        )
    )
    assert sorted(codes) == expected and len(codes) == 3
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    saved = tmp_path / "projects.xlsx"
    download_info.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == codes  # same rows, same order as the page
    assert rows[0][0] == "项目编号"
    assert all(isinstance(r[rows[0].index("总投资（万元）")], int | float) for r in rows[1:])
