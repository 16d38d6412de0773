"""Django settings for Open Income, driven by environment variables."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent



def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# The built-in key is public (it is in this file): `serve` refuses it outside demo mode, and
# the WSGI entry point refuses it in production (see openincome.web.security).
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("OPENINCOME_SECRET_KEY", DEV_SECRET_KEY)
# OPENINCOME_ENV=production turns on the hardened settings below (HTTPS only, HSTS, ...).
PRODUCTION = os.environ.get("OPENINCOME_ENV", "").strip().lower() == "production"
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
    # Background tasks (bulk sends from the worklist): the tasks framework, backported to
    # Django 5.2, with its database backend, so the demo needs no other service.
    "django_tasks",
    "django_tasks_db",
    "openincome.audit",
    "openincome.ledger",
    "openincome.policy",
    "openincome.staff",
    "openincome.cases",
    "openincome.agreements",
    "openincome.legal",
    "openincome.benefits",
    "openincome.payments",
    "openincome.interchange",
    "openincome.simulator",
    "openincome.letters",
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
    "openincome.web.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "openincome.web.security.ContentSecurityPolicyMiddleware",
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

# Django's full set: a password like the username, shorter than 12, on the list of common
# passwords or all digits is refused (the CLI and the admin pages alike, see staff/actions.py).
PASSWORD_MIN_LENGTH = _env_int("OPENINCOME_PASSWORD_MIN_LENGTH", 12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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
# How letters, texts and emails leave: "recording" keeps them in the app's outbox (the demo
# and the tests), "notify" sends them through GOV.UK Notify (the key from the environment).
NOTIFIER = os.environ.get("OPENINCOME_NOTIFIER", "recording").strip().lower()
# Background tasks are rows in the database; `openincome manage db_worker` runs them (`serve`
# starts one beside the web server, see web/management/commands/serve.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The work programme lists cases in arrears with no contact for this many days.
NOT_CONTACTED_DAYS = int(os.environ.get("OPENINCOME_NOT_CONTACTED_DAYS", "28"))


# --- Sign-in and production security (all from the environment) ---------------------------

# Failed sign-ins: this many within the window lock the account (or the address) for the
# lockout time. An office behind one address shares it, hence a higher limit per address.
SIGNIN_MAX_FAILURES = _env_int("OPENINCOME_SIGNIN_MAX_FAILURES", 5)
SIGNIN_MAX_FAILURES_PER_ADDRESS = _env_int("OPENINCOME_SIGNIN_MAX_FAILURES_PER_ADDRESS", 20)
SIGNIN_WINDOW_MINUTES = _env_int("OPENINCOME_SIGNIN_WINDOW_MINUTES", 15)
SIGNIN_LOCKOUT_MINUTES = _env_int("OPENINCOME_SIGNIN_LOCKOUT_MINUTES", 15)
# Reverse proxies in front of the app: the client address is then the one this many hops
# from the right of X-Forwarded-For, and the proxy's X-Forwarded-Proto says HTTPS.
TRUSTED_PROXIES = _env_int("OPENINCOME_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A working day; a shared office computer left signed in does not stay so for a fortnight.
SESSION_COOKIE_AGE = _env_int("OPENINCOME_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("OPENINCOME_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("OPENINCOME_CSRF_TRUSTED_ORIGINS", "")
                        .split(",") if o]
# The pages load scripts, styles, fonts and images from this site only (no inline script).
CONTENT_SECURITY_POLICY = os.environ.get("OPENINCOME_CONTENT_SECURITY_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
if PRODUCTION:
    # HTTPS only; `manage check --deploy` is clean with these (tests/web/test_security.py).
    SECURE_SSL_REDIRECT = _env_bool("OPENINCOME_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("OPENINCOME_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("OPENINCOME_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("OPENINCOME_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
