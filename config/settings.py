"""Settings for the KB, read from the environment (12-factor) with safe defaults.

SQLite under var/ is the zero-set-up default; production points DATABASE_URL at PostgreSQL.
With DEBUG off the app refuses to start without a real SECRET_KEY and turns on the
production security settings.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
# The test suite runs with DEBUG off, as production does, but needs no secrets or HTTPS.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DEVELOPMENT_SECRET_KEY = "insecure-key-only-for-development-and-tests"
# Keys that have been public (in this repository or Django's templates) sign nothing real.
PUBLIC_SECRET_KEYS = {DEVELOPMENT_SECRET_KEY, "benchmark-only", "..."}


def weak_secret_key(key: str) -> str | None:
    """Why a key must not sign sessions, password resets and feed addresses; None if it may.

    The same bar as Django's security.W009 check, which only warns under `check --deploy`.
    """
    if not key:
        return "is not set"
    if key in PUBLIC_SECRET_KEYS or key.startswith("django-insecure"):
        return "is a published example value"
    if len(key) < 50 or len(set(key)) < 5:
        return "is too weak"
    return None


SECRET_KEY = os.getenv("SECRET_KEY", "")
if not (DEBUG or TESTING) and (problem := weak_secret_key(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY {problem}: with DEBUG off set it to at least 50 random characters "
        "(at least 5 different ones), e.g. the output of "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
        "For local development set DEBUG=true instead."
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

SITE_NAME = os.getenv("SITE_NAME", "the KB")
# Absolute address of the site, for links in e-mails; by default the address `make run`
# serves (its HOST and PORT).
SITE_URL = os.getenv(
    "SITE_URL", f"http://{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "taggit",
    "kb.core",
    "kb.platforms",
    "kb.sources",
    "kb.advocates",
    "kb.casestudies",
    "kb.experiments",
    "kb.collections",
    "kb.research",
    "kb.articles",
    "kb.accounts",
    "kb.uploads",
    "kb.revisions",
    "kb.workflow",
    "kb.comments",
    "kb.notifications",
    "kb.linkcheck",
    "kb.freshness",
    "kb.search",
    "kb.questions",
    "kb.departments",
    "kb.follows",
    "kb.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kb.core.middleware.reject_null_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An intranet: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "kb.core.context_processors.site",
                "kb.notifications.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

VAR_DIR = BASE_DIR / "var"
if not os.getenv("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)  # the embedded default database lives here

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kb.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.getenv("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the home page's counts may be kept (kb.home.cache); 0 turns that cache off.
HOME_CACHE_SECONDS = envint("KB_HOME_CACHE_SECONDS", "300")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Without collectstatic (development, tests) whitenoise finds files as they are.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

MEDIA_URL = "/uploads/files/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads beyond this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "kb@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not (DEBUG or TESTING):
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

TAGGIT_CASE_INSENSITIVE = True

# Page size of every list page.
KB_PAGE_SIZE = envint("KB_PAGE_SIZE", "20")
# Largest image an author may upload, in bytes.
KB_UPLOAD_MAX_BYTES = envint("KB_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024))
# The largest BibTeX, RIS or CSV file of research links an editor may import at once.
KB_IMPORT_MAX_BYTES = envint("KB_IMPORT_MAX_BYTES", str(1024 * 1024))
# How long a comment's author may still edit or delete it, in minutes.
KB_COMMENT_EDIT_MINUTES = envint("KB_COMMENT_EDIT_MINUTES", "15")
# Hosts besides the KB itself whose images Markdown may embed; others become links, so a
# page never makes readers' browsers contact an outside host (tracking pixels).
KB_MARKDOWN_IMAGE_HOSTS = [host.lower() for host in envlist("KB_MARKDOWN_IMAGE_HOSTS", "")]
# How long deleted items wait in the trash before purge_trash removes them, in days.
KB_TRASH_DAYS = envint("KB_TRASH_DAYS", "30")
# How long check_links waits for each source site to answer one request, in seconds.
KB_LINK_CHECK_TIMEOUT = envint("KB_LINK_CHECK_TIMEOUT", "10")
# Digest e-mails go out from this hour (local time) after their day or week has ended.
KB_DIGEST_HOUR = envint("KB_DIGEST_HOUR", "7")
# How often an item is reviewed when its kind has no interval set in the admin, in months.
KB_REVIEW_DEFAULT_MONTHS = envint("KB_REVIEW_DEFAULT_MONTHS", "12")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is routine: one line, not the PermissionDenied traceback.
    "filters": {"refusals_in_one_line": {"()": "kb.core.logging.RefusalsInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals_in_one_line"]}
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
