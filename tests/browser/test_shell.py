"""The shell in a real browser: log in as a unit reporter, see it in Chinese, open a record,
log out; failed logins show a Chinese error and the 6th attempt is locked."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Words allowed in a Chinese page: codes, IDs and names that are English by nature.
ALLOWED = {"IP"}


def visible_english(page):
    text = page.inner_text("body")
    return sorted({w for w in ASCII_WORD.findall(text) if w not in ALLOWED})


def test_reporter_logs_in_sees_chinese_shell_opens_record_logs_out(
    world, page, browser_login, screenshot
):
    page.goto("/")
    assert "/login/" in page.url
    screenshot(page, "login")
    browser_login("reporter_a")
    assert page.locator("[data-testid=my-unit]").inner_text() == "东湖街道"
    body = page.inner_text("body")
    for label in ("驾驶舱", "项目", "线索", "企业", "招商活动", "招商载体", "目标考核", "报表"):
        assert label in body
    assert "单位填报员" in body
    screenshot(page, "home-reporter")
    # Her own unit is a record she can open; the sibling street is not in her tree.
    page.click("text=单位树")
    assert "西山街道" not in page.inner_text("[data-testid=unit-tree]")
    page.click("[data-testid=unit-tree] >> text=东湖街道")
    assert page.locator("h2.page-title").inner_text() == "东湖街道"
    assert "变更记录" in page.inner_text("body")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "unit-detail")
    page.click("[data-testid=user-menu]")
    page.click("text=退出登录")
    page.wait_for_url("**/login/**")
    page.goto("/org/units/tree/")
    assert "/login/" in page.url


def test_failed_login_shows_chinese_error_and_sixth_attempt_is_locked(world, page, screenshot):
    def attempt(password):
        page.goto("/login/")
        page.fill("#id_username", "reporter_a")
        page.fill("#id_password", password)
        page.click("button[type=submit]")

    for _attempt in range(4):
        attempt("not-the-password")
        error = page.locator("[data-testid=login-error]").inner_text()
        assert "用户名" in error and "密码" in error
    screenshot(page, "login-failed")
    # The fifth failure locks the account and says so.
    attempt("not-the-password")
    assert "账户已被锁定" in page.locator("[data-testid=locked]").inner_text()
    # The sixth attempt is refused even with the right password.
    from zhaoshang.core.testing import PASSWORD

    attempt(PASSWORD)
    assert "账户已被锁定" in page.locator("[data-testid=locked]").inner_text()
    assert "/login/" in page.url
    screenshot(page, "login-locked")
