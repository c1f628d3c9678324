"""A ledger page in a real browser: choose the columns, filter, export to Excel, and read the
file back: the same rows and the chosen columns as the page shows."""

import pytest
from openpyxl import load_workbook

from tests.browser.test_shell import visible_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def table_headers(page):
    return [t.strip() for t in page.locator("table thead th").all_inner_texts()]


def first_column(page):
    return [t.strip() for t in page.locator("table tbody tr td:first-child").all_inner_texts()]


def test_admin_hides_a_column_filters_and_exports_the_same_rows(
    world, page, browser_login, screenshot, tmp_path
):
    from zhaoshang.core.testing import make_unit
    from zhaoshang.organization.choices import UnitKind

    for i in range(3):
        make_unit(f"P{i}", f"东湖产业园{i}", UnitKind.PARK, world.street_a)
    browser_login("admin")
    page.goto("/org/units/")
    assert "编码" in table_headers(page)
    page.click("[data-testid=columns-toggle]")
    page.locator("[data-testid=columns-menu]").wait_for(state="visible")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "ledger-columns")
    page.uncheck("[data-testid=column-code]")
    page.click("[data-testid=columns-apply]")
    page.wait_for_load_state()
    headers = table_headers(page)
    assert "编码" not in headers and headers[0] == "名称"
    # Filter by the search box; the column choice survives the filter form.
    page.fill("#id_q", "产业园")
    page.click(".filter-card button[type=submit]")
    page.wait_for_url("**q=*")
    assert table_headers(page) == headers
    names = first_column(page)
    assert names == ["东湖产业园0", "东湖产业园1", "东湖产业园2"]
    screenshot(page, "ledger-filtered")
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    download = download_info.value
    assert download.suggested_filename.startswith("单位-")
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert list(rows[0]) == headers
    assert [r[0] for r in rows[1:]] == names
    assert all(r[headers.index("上级单位")] == "东湖街道" for r in rows[1:])
