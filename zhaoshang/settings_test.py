"""Settings for the test suite: the real settings with a throwaway data folder.

The browser tests run gunicorn in a subprocess against the test database, so the SQLite
test database is a file (not :memory:) and ZHAOSHANG_E2E_SERVER points the server at it.
"""

import os
from pathlib import Path

os.environ.setdefault(
    "ZHAOSHANG_DATA_DIR", str(Path(__file__).resolve().parent.parent / ".test-data")
)

from zhaoshang.settings import *  # noqa: E402,F403
from zhaoshang.settings import DATA_DIR, DATABASES  # noqa: E402

_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # One file per pytest process, so that parallel runs never share a test database;
    # the gunicorn under test is told the name through ZHAOSHANG_TEST_DB.
    _default_test_db = str(DATA_DIR / f"test-{os.getpid()}.sqlite3")
    _db["TEST"] = {"NAME": os.environ.get("ZHAOSHANG_TEST_DB", _default_test_db)}
else:
    _db["TEST"] = {"NAME": "test_" + _db["NAME"]}

if os.environ.get("ZHAOSHANG_E2E_SERVER"):
    # The gunicorn under test talks to the database pytest-django created, which the tests
    # flush between them.
    _db["NAME"] = _db["TEST"]["NAME"]
    MIDDLEWARE = [*MIDDLEWARE, "zhaoshang.core.testing.FreshContentTypesMiddleware"]  # noqa: F405

# No collectstatic in tests: serve straight from the app folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
