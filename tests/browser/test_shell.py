"""The shell in a real browser: log in as a unit reporter, see it in Chinese, open a record,
log out; failed logins show a Chinese error and the 6th attempt is locked."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Words allowed in a Chinese page: codes, IDs and names that are English by nature.
ALLOWED = {"IP"}


def visible_english(page):
    """English words on the page, other than data that is English by nature (usernames)."""
    from zhaoshang.organization.models import User

    allowed = ALLOWED | set(User.objects.values_list("username", flat=True))
    text = page.inner_text("body")
    return sorted({w for w in ASCII_WORD.findall(text) if w not in allowed})


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


def test_admin_edits_a_unit_and_sees_its_history(world, page, browser_login, screenshot):
    browser_login("admin")
    page.goto("/org/units/tree/")
    tree = page.inner_text("[data-testid=unit-tree]")
    assert "海港街道" in tree and "东湖社区" in tree
    screenshot(page, "unit-tree")
    page.click("[data-testid=unit-tree] >> text=西山街道")
    page.click("text=编辑")
    page.fill("#id_name", "西山街道办事处")
    page.click("button:has-text('保存')")
    assert page.locator("h2.page-title").inner_text() == "西山街道办事处"
    history = page.inner_text("[data-testid=history]")
    assert "西山街道" in history and "西山街道办事处" in history and "admin" in history
    # An invalid code is refused in Chinese and what was typed stays in the form.
    page.click("text=编辑")
    page.fill("#id_name", "改名后的街道")
    page.fill("#id_code", "带空格 的编码")
    page.click("button:has-text('保存')")
    assert "只能使用字母、数字、连字符和下划线" in page.inner_text("[data-testid=error-code]")
    assert page.input_value("#id_name") == "改名后的街道"
    screenshot(page, "unit-form-error")
    page.goto("/org/users/")
    assert "reporter_a" in page.inner_text("table")
    screenshot(page, "user-list")
    page.goto("/changelog/")
    assert "西山街道办事处" in page.inner_text("table")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "changelog")
