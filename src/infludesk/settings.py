"""Infludesk settings, read from environment variables (see README, "Configuration")."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from infludesk.core.config import email_settings_from_url, env_bool, env_list

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("INFLUDESK_VAR_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("DEBUG", default=False)
# pytest (>= 8.2) sets PYTEST_VERSION; tests and the demo may use a generated key.
_TESTING = "PYTEST_VERSION" in os.environ


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not (DEBUG or _TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY to a long random string "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# Public base URL used in emails, webhook URLs and tracked links.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Tracked-link clicks: path of a local MaxMind-format country database (.mmdb) for the click's
# country; empty = no lookup (docs/tracking.md).
GEOIP_DB = os.environ.get("GEOIP_DB", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the Swagger UI assets of /api/v1/docs locally (no CDN)
    "axes",
    "django_tasks",
    "django_tasks_db",
    "infludesk.core",
    "infludesk.creators",
    "infludesk.authenticity",
    "infludesk.connectors",
    "infludesk.campaigns",
    "infludesk.outreach",
    "infludesk.tracking",
    "infludesk.attribution",
    "infludesk.analytics",
    "infludesk.research",
    "infludesk.reports",
    "infludesk.api",
    "infludesk.demo",
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
    "infludesk.core.middleware.WorkspaceMiddleware",
    "infludesk.core.audit.AuditActorMiddleware",  # after WorkspaceMiddleware (request.member)
    # axes last, as its docs require
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "infludesk.urls"
WSGI_APPLICATION = "infludesk.wsgi.application"
ASGI_APPLICATION = "infludesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "infludesk.core.context_processors.workspace",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'infludesk.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server, the worker and the click writer work at once.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

if os.environ.get("TEST_DB_NAME"):
    # lets several test runs share one PostgreSQL server without colliding
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "account:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if _TESTING:
    # same algorithm, lowest cost: full-strength argon2 costs ~0.5 s per hash (core/hashers.py)
    PASSWORD_HASHERS = ["infludesk.core.hashers.QuickArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: 5 failures per username + IP lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# the login form posts the email as "username"; count it trimmed and in lower case
AXES_USERNAME_CALLABLE = "infludesk.core.forms.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
with contextlib.suppress(OSError):  # whitenoise warns at every start when it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS: list[Path] = [PACKAGE_DIR / "static"]  # css, js and vendored htmx
WHITENOISE_USE_FINDERS = True
# Uploaded files (deal files, draft media). Never served publicly: there is no MEDIA_URL route;
# downloads go through the signed-in, workspace-scoped view /deals/<id>/files/<id>/.
MEDIA_ROOT = Path(os.environ.get("INFLUDESK_MEDIA_ROOT", VAR_DIR / "media")).resolve()
# Largest accepted upload on a deal, in megabytes.
DEAL_FILE_MAX_MB = float(os.environ.get("INFLUDESK_FILE_MAX_MB", "25"))

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS set SECURE_COOKIES=true.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

globals().update(email_settings_from_url(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Infludesk <noreply@localhost>")
# Outreach: when set, outgoing mail carries Reply-To: replies+<signed deal token>@INBOUND_DOMAIN,
# so a reply posted to an inbound URL is filed on its deal even without threading headers.
INBOUND_DOMAIN = os.environ.get("INBOUND_DOMAIN", "").strip().lower()

# Vetting: ER benchmarks per platform and tier (JSON; empty = the file shipped in the package),
# the fake-account model file (empty = the committed one) and the share of fake accounts
# expected in a real audience, used to correct the model's 50/50 training prior.
ER_BENCHMARKS_PATH = os.environ.get("INFLUDESK_ER_BENCHMARKS", "")
# Social connectors: accounts not synced for this many hours are due (`sync-accounts --due`);
# API base URLs are overridable (a local replay server in tests, a proxy in production).
SOCIAL_SYNC_INTERVAL_HOURS = float(os.environ.get("INFLUDESK_SOCIAL_SYNC_HOURS", "24"))
SOCIAL_SYNC_MAX_POSTS = int(os.environ.get("INFLUDESK_SOCIAL_SYNC_MAX_POSTS", "50"))
SOCIAL_API_URLS = {
    "instagram": os.environ.get("INFLUDESK_INSTAGRAM_API_URL", ""),
    "youtube": os.environ.get("INFLUDESK_YOUTUBE_API_URL", ""),
    "tiktok": os.environ.get("INFLUDESK_TIKTOK_API_URL", ""),
}
# Instagram Login (creators connect their own account; docs/connectors.md). The secret is
# never logged. Base URLs are overridable like the ones above.
INSTAGRAM_APP_ID = os.environ.get("INSTAGRAM_APP_ID", "")
INSTAGRAM_APP_SECRET = os.environ.get("INSTAGRAM_APP_SECRET", "")
INSTAGRAM_AUTHORIZE_URL = os.environ.get(
    "INFLUDESK_INSTAGRAM_AUTHORIZE_URL", "https://www.instagram.com/oauth/authorize"
)
INSTAGRAM_OAUTH_URL = os.environ.get("INFLUDESK_INSTAGRAM_OAUTH_URL", "https://api.instagram.com")
INSTAGRAM_GRAPH_URL = os.environ.get("INFLUDESK_INSTAGRAM_GRAPH_URL", "https://graph.instagram.com")
# TikTok Login Kit (creators connect their own account; docs/connectors.md). Secret never logged.
TIKTOK_CLIENT_KEY = os.environ.get("TIKTOK_CLIENT_KEY", "")
TIKTOK_CLIENT_SECRET = os.environ.get("TIKTOK_CLIENT_SECRET", "")
TIKTOK_AUTHORIZE_URL = os.environ.get(
    "INFLUDESK_TIKTOK_AUTHORIZE_URL", "https://www.tiktok.com/v2/auth/authorize/"
)
TIKTOK_OAUTH_URL = os.environ.get("INFLUDESK_TIKTOK_OAUTH_URL", "https://open.tiktokapis.com")
# TikTok Research API app (client credentials) for video comments; empty: no TikTok comments.
TIKTOK_RESEARCH_CLIENT_KEY = os.environ.get("TIKTOK_RESEARCH_CLIENT_KEY", "")
TIKTOK_RESEARCH_CLIENT_SECRET = os.environ.get("TIKTOK_RESEARCH_CLIENT_SECRET", "")
FAKE_MODEL_PATH = os.environ.get("INFLUDESK_FAKE_MODEL", "")
FAKE_ACCOUNT_PRIOR = float(os.environ.get("INFLUDESK_FAKE_PRIOR", "0.10"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # httpx logs every request URL at INFO, and platform URLs carry tokens and app secrets
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
