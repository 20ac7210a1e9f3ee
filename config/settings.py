"""Settings for the KB, read from the environment (12-factor) with safe defaults.

SQLite under var/ is the zero-set-up default; production points DATABASE_URL at PostgreSQL.
With DEBUG off the app refuses to start without a real SECRET_KEY and turns on the
production security settings.
"""

import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, REPORT_SAMPLE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

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


def envrate(name: str, default: str) -> str:
    """A django-ratelimit rate such as ``120/m`` (requests per second, minute, hour, day)."""
    value = os.getenv(name, default).strip()
    if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 60/m, not {value!r}")
    return value


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
    "axes",
    "django_ratelimit",  # for its system checks of the cache
    "django_filters",
    "taggit",
    "csp",
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
    "kb.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the refusals below, so their 400 and 413 carry the header too.
    "kb.core.middleware.permissions_policy",
    "kb.core.middleware.reject_null_characters",
    "kb.core.middleware.refuse_oversized_bodies",
    # With read replicas: reads from a replica unless this browser has just written.
    "kb.core.routers.read_your_writes",
    # Before WhiteNoise, which answers static files itself: they cannot be framed either.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response past the static files (see below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An address past its wrong passwords, whatever the names, gets the 429 page.
    "kb.accounts.throttle.throttle_sign_in",
    # Off unless SSO_HEADER is set; must run before LoginRequiredMiddleware.
    "kb.accounts.sso.TrustedProxyRemoteUserMiddleware",
    # An intranet: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Turns RateLimitExceeded from a view into the 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
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

# PostgreSQL read replicas (comma-separated URLs): requests read from one of them and write
# to DATABASE_URL, the primary; kb.core.routers sends whoever has just written back to the
# primary for KB_REPLICA_PIN_SECONDS (longer than the replicas' usual lag).
KB_READ_REPLICAS = []
for number, url in enumerate(envlist("DATABASE_REPLICA_URL", ""), start=1):
    DATABASES[f"replica{number}"] = dj_database_url.parse(
        url, conn_max_age=envint("DB_CONN_MAX_AGE", "60"), conn_health_checks=True
    )
    # A test run reads the test database through it, never a real replica.
    DATABASES[f"replica{number}"]["TEST"] = {"MIRROR": "default"}
    KB_READ_REPLICAS.append(f"replica{number}")
KB_REPLICA_PIN_SECONDS = envint("KB_REPLICA_PIN_SECONDS", "10")
DATABASE_ROUTERS = ["kb.core.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.getenv("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    # Several app servers share the cache; sessions are read from it and written through
    # to the database, so a flushed cache signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Each process's memory, LRU: Django's default of 300 entries is less than one topic
    # page's rendered card summaries, so each page pushed the last one's (and the shared
    # parts and counts) out. The shared parts are the big entries (up to about 60 kB).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": envint("KB_LOCAL_CACHE_ENTRIES", "5000")},
        },
    }
# The rate limits' counts apart from what pages cache, so no burst of rendering can push
# a count out (and with it a limit) before its window ends. In Redis when it is set.
CACHES["ratelimits"] = {
    **CACHES["default"],
    "LOCATION": CACHES["default"].get("LOCATION", "ratelimits"),
    "KEY_PREFIX": "ratelimits",
    "OPTIONS": {"MAX_ENTRIES": 100_000} if not os.getenv("REDIS_URL") else {},
}
# How long the home page's counts may be kept (kb.core.published_cache); 0 turns that cache off.
HOME_CACHE_SECONDS = envint("KB_HOME_CACHE_SECONDS", "300")
# How many queries' matches each process remembers (kb.search.matches); 0 turns it off.
KB_SEARCH_MATCH_CACHE = envint("KB_SEARCH_MATCH_CACHE", "256")
# How many rendered results pages each process keeps for readers (kb.search.pages); 0: none.
KB_SEARCH_PAGE_CACHE = envint("KB_SEARCH_PAGE_CACHE", "128")

# --- Rate limits on what is cheap to ask and expensive to answer (django-ratelimit) ------
# Per signed-in person, far above what anyone working by hand reaches; past them the view
# answers 429 (templates/429.html) with Retry-After.
KB_RATE_LIMITS = {
    "suggest": envrate("RATE_LIMIT_SUGGEST", "120/m"),
    "preview": envrate("RATE_LIMIT_PREVIEW", "60/m"),
    "export": envrate("RATE_LIMIT_EXPORT", "30/m"),
    "pdf": envrate("RATE_LIMIT_PDF", "10/m"),
    # Wrong passwords from one address, whatever the names (kb.accounts.throttle); per
    # address, not per person, and over a quarter of an hour.
    "sign-in failures": envrate("RATE_LIMIT_SIGN_IN_FAILURES", "30/15m"),
}
RATELIMIT_VIEW = "kb.core.views.too_many_requests"
RATELIMIT_USE_CACHE = "ratelimits"
# Only for anyone not signed in (the health check is the one such view, unlimited).
RATELIMIT_IP_META_KEY = "kb.accounts.client_ip.client_ip"
# A cache that is down must not take search suggestions and exports down with it.
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS = [
    # Without REDIS_URL the counters live in each worker's memory, so with n workers a
    # person gets up to n times a limit: still a bound, which is all these limits are for.
    # Production with several workers or servers sets REDIS_URL (README "Security").
    *([] if os.getenv("REDIS_URL") else ["django_ratelimit.E003"]),
    # "Not officially supported": its list names only memcached and django-redis. Django's
    # own RedisCache increments with Redis's atomic INCR in a cache every worker shares, and
    # local memory is covered by the line above.
    "django_ratelimit.W001",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in: lock-out after failed passwords, single sign-on through a proxy --------------
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out sign-in before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's profile and permissions in fewer queries.
    "kb.accounts.backends.PermissionsBackend",
    # Used only by kb.accounts.sso's middleware, which is off unless SSO_HEADER is set.
    "kb.accounts.sso.ReaderRemoteUserBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
# A username and an address together: wrong passwords typed for a colleague's name lock
# only that name from that address, so nobody can lock someone else (or a whole office
# behind one address) out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "kb.accounts.views.locked_out"
AXES_WHITELIST_CALLABLE = "kb.accounts.sso.is_proxy_sign_in"
AXES_CLIENT_IP_CALLABLE = "kb.accounts.client_ip.client_ip"
# How many proxies of ours sit in front of the KB, each appending to X-Forwarded-For; 0
# (no proxy) reads only the connection's address, since anyone can send the header.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
# Single sign-on: the header a reverse proxy sets to the signed-in username (e.g.
# X-Remote-User), accepted only from the proxies' addresses. Empty turns it off.
SSO_HEADER = os.getenv("SSO_HEADER", "").strip()
SSO_TRUSTED_PROXIES = envlist("SSO_TRUSTED_PROXIES", "")
if SSO_HEADER and not SSO_TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "SSO_HEADER needs SSO_TRUSTED_PROXIES: the addresses (or CIDR ranges) of the proxies "
        "allowed to set it. Anyone else could otherwise sign in as anyone."
    )

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
# Seconds to wait for the mail server: notifications are sent at the end of the request
# that caused them, so a hung server must not hold that request for long (the failure is
# logged and the action stands; see docs/faults.md).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "5")

# --- Security: HTTPS, headers and sessions (README "Security") ---------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of the KB uses, denied to it and to anything it might embed;
# kb.core.middleware.permissions_policy sends them on every response.
KB_PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    # FLoC, the Topics API's predecessor; Chromium still reads it (no console warning).
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# A working day: people sign in once in the morning, and a session left on a shared or
# lost machine is dead by the next one. Counted from sign-in, not renewed on each page.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(12 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", "false")
if not (DEBUG or TESTING):
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # A year, as `check --deploy` asks; 0 turns HSTS off (e.g. while HTTPS is being tried).
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

TAGGIT_CASE_INSENSITIVE = True

# Page size of every list page.
KB_PAGE_SIZE = envint("KB_PAGE_SIZE", "20")
# Largest image an author may upload, in bytes.
KB_UPLOAD_MAX_BYTES = envint("KB_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024))
# The largest BibTeX, RIS or CSV file of research links an editor may import at once.
KB_IMPORT_MAX_BYTES = envint("KB_IMPORT_MAX_BYTES", str(1024 * 1024))
# Requests announcing a larger body are refused before it is read (413): the largest file
# above plus room for the form's other fields.
KB_REQUEST_MAX_BYTES = envint(
    "KB_REQUEST_MAX_BYTES",
    str(max(KB_UPLOAD_MAX_BYTES, KB_IMPORT_MAX_BYTES, DATA_UPLOAD_MAX_MEMORY_SIZE) + 1024 * 1024),
)
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

# Content-Security-Policy (django-csp): every page loads only the KB's own scripts, styles
# and fonts; no inline <script>, no on…= handler and no style="" attribute runs, so markup
# that slipped past the Markdown sanitiser still could not execute or restyle the page.
# Scripts may still set element.style through the CSSOM. Images: the KB's own (uploads,
# data: icons) and the hosts Markdown may embed. Browsers report what the policy blocked
# to csp_report, which logs it (kb.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, REPORT_SAMPLE],
        "script-src-attr": [NONE],
        "style-src": [SELF, REPORT_SAMPLE],
        "style-src-attr": [NONE],
        "img-src": [
            SELF,
            "data:",
            # Markdown embeds absolute addresses of the KB's own uploads too (SITE_URL).
            "{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL)),
            *KB_MARKDOWN_IMAGE_HOSTS,
        ],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": [reverse_lazy("csp_report")],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is routine: one line, not the PermissionDenied traceback.
    # So is a request that met an unreachable database (the 503 page): its reason, no stack.
    "filters": {
        "refusals_in_one_line": {"()": "kb.core.logging.RefusalsInOneLine"},
        "outages_in_one_line": {"()": "kb.core.logging.OutagesInOneLine"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals_in_one_line"]}
    },
    "loggers": {
        "django.request": {"filters": ["outages_in_one_line"]},
        # django-axes says at INFO what every sign-in and clean-up did; lock-outs are
        # warnings. AXES_LOG_LEVEL=INFO keeps a line per sign-in for an audit trail.
        "axes": {"level": os.getenv("AXES_LOG_LEVEL", "WARNING")},
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
