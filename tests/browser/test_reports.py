"""Reports in a real browser: a bureau officer picks the half-year summary, generates it,
sees the prose with every figure linked to its records, downloads the Word file and finds
the report in the archive; the monthly notice reads as a government notice."""

import datetime
import io
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
ALLOWED = {"Word", "Excel", "SHA"}


def visible_english(page):
    """English words on this app's part of the page (the header and the body; the shared
    navigation is checked by the shell's own test)."""
    from zhaoshang.organization.models import User

    allowed = ALLOWED | set(User.objects.values_list("username", flat=True))
    text = page.inner_text(".page-header") + page.inner_text(".page-body")
    return sorted({w for w in ASCII_WORD.findall(text) if w not in allowed})


def test_generate_the_half_year_summary_and_find_it_in_the_archive(
    world, page, browser_login, screenshot
):
    from docx import Document

    from zhaoshang.reports.tests.dataset import build

    build(world)
    browser_login("bureau")
    page.click("text=报表")
    page.wait_for_selector("[data-testid=report-list]")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-list")
    page.click("[data-testid=pick-narrative]")
    page.wait_for_selector("[data-testid=report-form]")
    page.select_option("#id_period", "2026H1")
    assert page.locator("#id_unit").input_value() == str(world.district.pk)
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-form")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-document]")
    document = page.locator("[data-testid=report-document]")
    text = document.inner_text()
    assert "临江区上半年招商引资工作总结" in text
    assert "新签约项目3个，总投资15.95亿元，同比下降20.25%，完成全年目标任务的159.5%" in text
    assert document.locator("a").count() > 20
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-narrative")

    with page.expect_download() as download_info:
        page.click("[data-testid=download-docx]")
    download = download_info.value
    assert download.suggested_filename == "临江区上半年招商引资工作总结.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert "实际利用外资5120万美元，同比增长23.5%，完成全年目标任务的64%。" in "\n".join(
        p.text for p in doc.paragraphs
    )

    # Generate again with the same parameters: the same figures, said so.
    page.click("[data-testid=regenerate]")
    page.wait_for_selector("[data-testid=same]")
    # A project of June recorded late: generated again, the report shows what changed.
    from zhaoshang.reports.tests.dataset import project

    project(world.street_b, "西山补录项目", "5000", datetime.date(2026, 6, 1))
    page.click("[data-testid=regenerate]")
    page.wait_for_selector("[data-testid=differences]")
    changes = page.locator("[data-testid=differences]").inner_text()
    assert "新签约项目4个，总投资16.45亿元" in changes
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-differences")

    page.click("a:text('16.45亿元')")
    page.wait_for_selector("[data-testid=records]")
    assert "东湖智造产业园" in page.inner_text("body")

    page.goto("/reports/archive/")
    runs = page.locator("[data-testid=runs]").inner_text()
    assert "临江区上半年招商引资工作总结" in runs and "2026年上半年" in runs
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-archive")


def test_monthly_notice_in_the_form_of_a_government_notice(world, page, browser_login, screenshot):
    from decimal import Decimal

    from zhaoshang.organization.models import PeerGroup
    from zhaoshang.reports.tests.dataset import build
    from zhaoshang.targets.models import Target

    ind = build(world)
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    for unit, target in ((world.street_a, 10), (world.street_b, 5)):
        unit.peer_group = group
        unit.save()
        Target.objects.create(
            indicator=ind["signed_amount"], unit=unit, year=2026, annual=Decimal(target)
        )
    browser_login("bureau")
    page.goto("/reports/monthly_notice/")
    page.fill("#id_month", "2026-06")
    page.fill("#id_doc_number", "临投促〔2026〕6号")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-document]")
    assert page.locator("[data-testid=doc-number]").inner_text() == "临投促〔2026〕6号"
    text = page.locator("[data-testid=report-document]").inner_text()
    assert "关于2026年6月招商引资工作情况的通报" in text
    assert text.index("东湖街道") < text.index("西山街道")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-notice")


def test_weekly_summary_leader_projects_approvals_and_catalogue(
    world, page, browser_login, screenshot
):
    from decimal import Decimal

    from zhaoshang.reports.tests.dataset import build

    build(world)
    browser_login("bureau")
    page.goto("/reports/weekly_summary/")
    page.fill("#id_week", "2026-03-11")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-table]")
    rows = page.locator("[data-testid=report-table] tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:6] == ["东湖街道", "0", "0", "0", "0", "1"]
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-weekly")
    page.goto("/reports/leader_projects/")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-table]")
    assert "东湖智造产业园" in page.locator("[data-testid=report-table]").inner_text()
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-leaders")

    from zhaoshang.carriers.models import Building
    from zhaoshang.pipeline.models import Approval, Project

    p = Project.objects.get(name="东湖智造产业园")
    Approval.objects.create(project=p, name="环境影响评价", deadline=datetime.date(2026, 9, 30))
    Building.objects.create(
        unit=world.street_a,
        name="东湖金融大厦",
        address="东湖路88号",
        total_floor_area=Decimal("32000"),
        vacant_floor_area=Decimal("6400"),
    )
    page.goto("/reports/overdue_approvals/")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-table]")
    assert "环境影响评价" in page.locator("[data-testid=report-table]").inner_text()
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-approvals")
    page.goto("/reports/catalogue/")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-table]")
    text = page.locator("[data-testid=report-document]").inner_text()
    assert "西山储备地块" in text and "东湖金融大厦" in text and "80%" in text
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reports-catalogue")
