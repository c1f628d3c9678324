"""Settings for Zhaoshang, read from environment variables with defaults that run.

The few helpers below are the only way settings read the environment, so every knob is
listed here and documented in docs/deployment.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(env("ZHAOSHANG_DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """A real key from the environment, else one generated once into the data folder."""
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ZHAOSHANG_DEBUG", False)
ALLOWED_HOSTS = env_list("ZHAOSHANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ZHAOSHANG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "zhaoshang.core",
    "zhaoshang.organization",
    "zhaoshang.enterprises",
    "zhaoshang.pipeline",
    "zhaoshang.activities",
    "zhaoshang.carriers",
    "zhaoshang.targets",
    "zhaoshang.imports",
    "zhaoshang.reports",
    "zhaoshang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhaoshang.core.middleware.RequestContextMiddleware",
    "zhaoshang.core.middleware.LoginRequiredMiddleware",
    # Axes must come last: it turns a lockout raised during authentication into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.core.context_processors.shell",
            ],
        },
    },
]

# SQLite in the data folder by default; DATABASE_URL (postgres://…) in production.
_sqlite_url = "sqlite:///" + str(DATA_DIR / "zhaoshang.sqlite3")
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", _sqlite_url), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets gunicorn's workers read while one writes; IMMEDIATE avoids
        # "database is locked" on upgrade from a read to a write transaction.
        # mmap: reads of a large database file skip a system call per page.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # The planner's default random page cost (4) prices a spinning disk: with the working set
    # in memory or on SSD it chose sequential scans of 200,000 projects over an index on the
    # unit (a district's search: 122 ms against 10 ms). 1.1 is the usual SSD setting; a
    # `?options=` in DATABASE_URL takes precedence.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c random_page_cost=" + env("ZHAOSHANG_PG_RANDOM_PAGE_COST", "1.1")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organization.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: every request renews the session; after this many idle minutes it expires.
# Ledger import limits (zhaoshang/imports): file size, rows, and the zip-bomb guards.
IMPORT_MAX_BYTES = env_int("ZHAOSHANG_IMPORT_MAX_MB", 20) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("ZHAOSHANG_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("ZHAOSHANG_IMPORT_MAX_UNPACKED_MB", 400) * 1024 * 1024
IMPORT_MAX_COMPRESSION_RATIO = 200

SESSION_IDLE_MINUTES = env_int("ZHAOSHANG_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# django-axes: lock a username from an address after 5 failures. Attempts live in the
# database, so every gunicorn worker sees the same count.
AXES_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZHAOSHANG_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("ZHAOSHANG_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env_int("ZHAOSHANG_PROXY_COUNT", 0)
    else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("ZHAOSHANG_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "zhaoshang" / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Production behind HTTPS (docs/deployment.md): one switch turns on the secure settings.
if env_bool("ZHAOSHANG_HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ZHAOSHANG_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("ZHAOSHANG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("ZHAOSHANG_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# W021 asks for HSTS preload; intranet host names cannot be on the public preload list,
# so it is off unless ZHAOSHANG_HSTS_PRELOAD says otherwise.
SILENCED_SYSTEM_CHECKS = env_list(
    "ZHAOSHANG_SILENCED_CHECKS", [] if env_bool("ZHAOSHANG_HSTS_PRELOAD") else ["security.W021"]
)

# Map tiles (天地图 / 高德 / an intranet tile server); empty means no tiles at all.
TILE_URL = env("TILE_URL", "")

# REST API (zhaoshang/api): tokens or the session; rate limit per token, counted in the
# database so that every worker shares it.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhaoshang.api.authentication.TokenAuthentication",
        "zhaoshang.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["zhaoshang.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("ZHAOSHANG_API_RATE", "1200/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "zhaoshang.api.schema.ScopedAutoSchema",
    "EXCEPTION_HANDLER": "zhaoshang.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "VERSION": "1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {"StageEnum": "zhaoshang.pipeline.choices.Stage"},
    "DISABLE_ERRORS_AND_WARNINGS": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zhaoshang.api.schema.add_error_responses",
    ],
}

DJANGO_TABLES2_TEMPLATE = "generic/table.html"
DJANGO_TABLES2_PAGE_RANGE = 8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("ZHAOSHANG_LOG_LEVEL", "WARNING")},
}
