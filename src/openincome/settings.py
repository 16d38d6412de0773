"""Django settings for Open Income, driven by environment variables."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("OPENINCOME_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("OPENINCOME_DEBUG", "false").lower() == "true"
ALLOWED_HOSTS = os.environ.get("OPENINCOME_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

# The default database is a SQLite file in the current directory: zero set-up for a new user.
DEFAULT_DATABASE_URL = f"sqlite:///{Path.cwd() / 'openincome.sqlite3'}"
DATABASE_URL = os.environ.get("OPENINCOME_DATABASE_URL", DEFAULT_DATABASE_URL)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web app read while an import writes; a busy timeout avoids "database locked".
    # Recursive triggers make REPLACE INTO fire the append-only tables' delete triggers (SQLite
    # skips them otherwise), so a REPLACE cannot rewrite a transaction or an audit event.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA recursive_triggers=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Just-in-time compilation costs hundreds of milliseconds a query and repays it only on
    # long analytic queries; the app's are short (the nightly's large reads are plain scans).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# The PostgreSQL role the app's code runs as (docs/deploying.md): every connection switches to
# it (SET ROLE) except while migrating, and migrate grants it plain reads and writes only.
OPENINCOME_DATABASE_ROLE = os.environ.get("OPENINCOME_DATABASE_ROLE", "").strip() or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "openincome.audit",
    "openincome.ledger",
    "openincome.policy",
    "openincome.cases",
    "openincome.interchange",
    "openincome.simulator",
    "openincome.web",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "openincome.urls"
WSGI_APPLICATION = "openincome.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openincome.web.context.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the apps (below); STATIC_ROOT is only for a collectstatic deploy.
STATIC_ROOT = os.environ.get("OPENINCOME_STATIC_ROOT") or None
# Serve static files straight from the apps (no collectstatic step for a new user).
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
