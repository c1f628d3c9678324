"""Fixtures for the whole suite: the world of units and users, a logged-in client, and
end-to-end browser tests against the real gunicorn serving the test database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test
# itself (never by the server under test, which is a separate process) are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",  # date inputs and other browser-drawn text as Chinese users see them
]
SCREENSHOT_DIR = Path(os.environ.get("ZHAOSHANG_SCREENSHOT_DIR", ROOT / "test-artifacts"))


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush recreates content types with new ids; a cache that
    outlived it would file change-log entries under ids that no longer exist."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _fresh_figure_cache():
    """Each test's database starts from the same data version, so figures cached by an
    earlier test in this process must not serve it."""
    from zhaoshang.targets.engine import clear_shared_cubes

    clear_shared_cubes()
    yield


@pytest.fixture
def world(db):
    from zhaoshang.core.testing import build_world

    return build_world()


@pytest.fixture
def login(client):
    """login(user) -> the test client logged in as that user."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(django_db_setup, django_db_blocker):
    """The real application: gunicorn in a subprocess, on the test database."""
    from django.conf import settings

    port = _free_port()
    test_db = settings.DATABASES["default"]["NAME"]  # pytest-django switched it to the test DB
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "ZHAOSHANG_TEST_DB": str(test_db),
        "DJANGO_SETTINGS_MODULE": "zhaoshang.settings_test",
        "ZHAOSHANG_E2E_SERVER": "1",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESSLOG": "",
    }
    log_path = ROOT / ".test-data" / f"gunicorn-{os.getpid()}.log"
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zhaoshang.wsgi", "-c", "zhaoshang/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("gunicorn did not start: " + log_path.read_text()) from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    if os.environ.get("ZHAOSHANG_KEEP_SERVER_LOG") is None:
        log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_app):
    context = browser.new_context(
        base_url=live_app, locale="zh-CN", viewport={"width": 1366, "height": 860}
    )
    page = context.new_page()
    page.set_default_timeout(30000)  # generous: CI machines can be busy
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): save a PNG of the page for review and the user guide."""

    def _shot(page, name):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return _shot


@pytest.fixture
def browser_login(page):
    """browser_login(username) logs the page in through the real login form."""
    from zhaoshang.core.testing import PASSWORD

    def _login(username, password=PASSWORD):
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        return page

    return _login
