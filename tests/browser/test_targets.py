"""The dashboard in a real browser: a leader sees the district's KPI cards, opens a figure to
the records behind it, and the page is Chinese; a street reporter sees only her street."""

import datetime
import re
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# English words on the page; a file name's extension (立项批复.pdf) is data, not UI text.
ASCII_WORD = re.compile(r"(?<![.\w])[A-Za-z]{3,}\b")


def visible_english(page):
    from zhaoshang.organization.models import User

    allowed = set(User.objects.values_list("username", flat=True))
    return sorted({w for w in ASCII_WORD.findall(page.inner_text("body")) if w not in allowed})


def _declare(world):
    from zhaoshang.pipeline.models import Milestone, Project
    from zhaoshang.targets.models import Indicator, ReportedValue, Target

    year = datetime.date.today().year
    for unit, name, amount, month in (
        (world.street_a, "东湖智造产业园", "25000", 1),
        (world.street_a, "东湖数据中心", "8000", 2),
        (world.street_b, "西山新材料基地", "41000", 2),
    ):
        p = Project.objects.create(
            name=name,
            responsible_unit=unit,
            stage="signed",
            total_investment=Decimal(amount),
            carrying_leader=world.leader,
        )
        Milestone.objects.create(project=p, stage="signed", date=datetime.date(year, month, 10))
    signed = Indicator.objects.get(code="signed_amount")
    Target.objects.create(indicator=signed, unit=world.district, year=year, annual=Decimal("10"))
    Target.objects.create(indicator=signed, unit=world.street_a, year=year, annual=Decimal("4"))
    fdi = Indicator.objects.get(code="utilized_fdi")
    Target.objects.create(
        indicator=fdi,
        unit=world.district,
        year=year,
        annual=Decimal("0.4"),
        unit_of_measure="亿美元",
    )
    ReportedValue.objects.create(
        indicator=fdi,
        unit=world.street_a,
        year=year,
        month=1,
        value=Decimal("5940.2"),
        reported_by=world.reporter_a,
    )
    return year


def test_leader_dashboard_drills_down_to_records(world, page, browser_login, screenshot):
    year = _declare(world)
    browser_login("leader")
    page.click("text=驾驶舱")
    page.wait_for_url("**/targets/**")
    page.wait_for_selector("[data-testid=kpi-cards]")
    assert page.locator("[data-testid=kpi-signed_amount]").inner_text() == "7.4"
    page.wait_for_selector("#trend-chart canvas")  # ECharts (vendored) drew the trend
    assert "东湖智造产业园" in page.inner_text("[data-testid=carried]")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "dashboard-leader")
    page.click("[data-testid=kpi-signed_amount]")
    page.wait_for_selector("[data-testid=records]")
    body = page.inner_text("body")
    for name in ("东湖智造产业园", "东湖数据中心", "西山新材料基地"):
        assert name in body
    assert page.locator("[data-testid=figure]").inner_text() == "7.4 亿元"
    assert "7.4 亿元" in page.locator("[data-testid=records-total]").inner_text()
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "target-records")
    page.goto(f"/targets/figures/?period={year}Y")
    row = page.locator("tr[data-code=utilized_fdi]")
    assert "148.51%" in row.inner_text()
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "target-figures")


def test_reporter_dashboard_shows_only_her_street(world, page, browser_login, screenshot):
    year = _declare(world)
    browser_login("reporter_a")
    page.goto(f"/targets/?period={year}Y")
    assert page.locator("[data-testid=kpi-signed_amount]").inner_text() == "3.3"
    body = page.inner_text("body")
    assert "西山" not in body and "4.1" not in body
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "dashboard-reporter")


def test_reporter_reports_a_month_and_city_certifies_a_project(
    world, page, browser_login, screenshot
):
    from zhaoshang.core.testing import make_user
    from zhaoshang.organization.choices import Role
    from zhaoshang.pipeline.models import Evidence, Milestone, Project
    from zhaoshang.targets.models import Certification, ReportedValue

    year = datetime.date.today().year
    browser_login("reporter_a")
    page.goto("/targets/reportedvalues/")
    page.click("text=新增填报数值")
    page.select_option("#id_indicator", label="实际利用外资")
    page.select_option("#id_unit", label="东湖街道")
    page.fill("#id_year", str(year))
    page.select_option("#id_month", label="1月")
    # No value yet: refused with a Chinese error, what was typed is kept.
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=error-value]")
    assert page.input_value("#id_year") == str(year)
    screenshot(page, "reported-value-error")
    page.fill("#id_value", "3000.5")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/reportedvalues/*/")
    assert ReportedValue.objects.get().reported_by.username == "reporter_a"
    page.goto("/targets/reportedvalues/")
    assert "3,000.5" in page.inner_text("table") or "3000.5" in page.inner_text("table")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "reported-values")

    project = Project.objects.create(
        name="东湖智造产业园",
        responsible_unit=world.street_a,
        stage="signed",
        total_investment=Decimal("25000"),
    )
    Milestone.objects.create(project=project, stage="signed", date=datetime.date(year, 1, 10))
    Evidence.objects.create(
        project=project, kind="approval", file="evidence/p.pdf", original_name="立项批复.pdf"
    )
    make_user("city_bureau", world.city, Role.BUREAU)
    page.context.clear_cookies()
    browser_login("city_bureau")
    page.goto("/targets/certifications/add/")
    page.select_option("#id_project", label="东湖智造产业园")
    page.select_option("#id_indicator", label="认定亿元以上项目数")
    page.fill("#id_date", f"{year}-01-20")
    page.select_option("#id_evidence", index=1)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/certifications/*/")
    assert "有效" in page.inner_text("body")
    page.click("[data-testid=withdraw]")
    page.fill("#id_withdrawn_on", f"{year}-01-25")
    page.fill("#id_withdrawal_reason", "材料不全，撤销认定")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/certifications/*/")
    assert "已撤销" in page.inner_text("body")
    assert Certification.objects.get().withdrawn_on == datetime.date(year, 1, 25)
    page.goto("/targets/certifications/")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "certifications")
