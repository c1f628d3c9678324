"""Project-wide checks: Django's checks, migrations, lint, translations, deploy settings."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env=None):
    # The test process allows sync ORM calls beside Playwright; a deployment must not.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
    )


def test_django_system_checks_pass():
    call_command("check", fail_level="WARNING")


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_ruff_lint_and_format():
    lint = run("-m", "ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout
    fmt = run("-m", "ruff", "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout


def test_every_message_is_translated_and_compiled():
    result = run("scripts/messages.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_pass_the_deploy_check():
    """With a real key and HTTPS on, `check --deploy` reports nothing."""
    env = {
        "DJANGO_SETTINGS_MODULE": "zhaoshang.settings",
        "SECRET_KEY": "x7!" + "k2M9pQ4vZ8rT1wY6nB3cF5hJ0sL" * 2,
        "ZHAOSHANG_HTTPS": "1",
        "ZHAOSHANG_ALLOWED_HOSTS": "zhaoshang.example.gov.cn",
        "ZHAOSHANG_DATA_DIR": tempfile.mkdtemp(prefix="zs-deploy-"),
    }
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
