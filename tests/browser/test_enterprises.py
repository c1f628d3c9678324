"""The enterprise database in a real browser: a bad credit code is refused in Chinese with
the typed values kept, the fixed code saves; the ledger and detail pages are Chinese and
show contacts' phone numbers as the role may see them."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# The logged-in username in the header is English by nature.
ALLOWED = {"leader"}


def visible_english(page):
    return sorted({w for w in ASCII_WORD.findall(page.inner_text("body")) if w not in ALLOWED})


def seed(world):
    from decimal import Decimal

    from zhaoshang.enterprises.models import Contact, Enterprise

    bank = Enterprise.objects.create(
        unit=world.street_a,
        name="江州农商银行股份有限公司",
        credit_code="91320594MA1MXX8N1P",
        industry="J",
        registered_capital=Decimal("200000"),
        province="江苏省",
        city="江州市",
        county="临江区",
        listed=True,
        above_scale=True,
    )
    Enterprise.objects.create(
        unit=world.street_a,
        name="东湖智能装备有限公司",
        industry="C",
        registered_capital=Decimal("3000"),
        specialised=True,
        high_tech=True,
    )
    Enterprise.objects.create(unit=world.street_b, name="西山远航物流有限公司", industry="G")
    Contact.objects.create(enterprise=bank, name="王建国", title="董事长", phone="13812345678")


def test_reporter_adds_enterprise_fixing_a_bad_credit_code(world, page, browser_login, screenshot):
    seed(world)
    browser_login("reporter_a")
    page.goto("/enterprises/enterprises/")
    assert "西山远航物流" not in page.inner_text("body")
    page.click("text=新增企业")
    page.fill("#id_name", "苏州恒锐精密机械有限公司")
    page.fill("#id_credit_code", "91110000600037341X")
    page.select_option("#id_industry", "C")
    page.fill("#id_registered_capital", "8000")
    page.fill("#id_province", "江苏省")
    page.fill("#id_city", "苏州市")
    page.check("input[name=tags][value=above_scale]")
    page.click("form.card button[type=submit]")
    error = page.locator("[data-testid=error-credit_code]").inner_text()
    assert "校验位不正确" in error
    # Nothing lost: what was typed is still there.
    assert page.input_value("#id_name") == "苏州恒锐精密机械有限公司"
    assert page.input_value("#id_credit_code") == "91110000600037341X"
    assert page.input_value("#id_registered_capital") == "8000"
    assert page.is_checked("input[name=tags][value=above_scale]")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "enterprise-form-error")

    page.fill("#id_credit_code", "91110000600037341L")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/enterprises/enterprises/\d+/$"))
    assert page.locator("h2.page-title").inner_text() == "苏州恒锐精密机械有限公司"
    body = page.inner_text("body")
    assert "91110000600037341L" in body and "规上" in body and "江苏省苏州市" in body
    assert "变更记录" in body
    assert visible_english(page) == [], visible_english(page)

    # Adding it again under a traditional-script name offers the existing record.
    detail_url = page.url
    page.goto("/enterprises/enterprises/add/")
    page.fill("#id_name", "蘇州恆銳精密機械股份有限公司")
    page.click("form.card button[type=submit]")
    assert "同名企业已登记" in page.locator("[data-testid=error-name]").inner_text()
    assert page.input_value("#id_name") == "蘇州恆銳精密機械股份有限公司"
    screenshot(page, "enterprise-duplicate")
    page.click("[data-testid=existing-enterprise]")
    assert page.url == detail_url

    # A traditional-script search finds it in the ledger.
    page.goto("/enterprises/enterprises/?q=恆銳")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "苏州恒锐精密机械有限公司" in rows.inner_text()


def test_ledger_and_detail_pages_mask_phones_for_leader(world, page, browser_login, screenshot):
    seed(world)
    browser_login("leader")
    page.goto("/enterprises/enterprises/")
    body = page.inner_text("body")
    assert "西山远航物流有限公司" in body and "江州农商银行股份有限公司" in body
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "enterprise-list")
    page.click("text=江州农商银行股份有限公司")
    body = page.inner_text("body")
    assert "王建国" in body and "138****5678" in body and "13812345678" not in body
    assert "上市" in body and "金融业" in body
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "enterprise-detail")
    page.goto("/enterprises/enterprises/")
    page.click("[data-testid=contact-list-link]")
    body = page.inner_text("body")
    assert "王建国" in body and "138****5678" in body and "13812345678" not in body
    assert visible_english(page) == [], visible_english(page)
