"""Settings for Bouwplaats, read from the environment (see README.md)."""

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.logfilters import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("BOUWPLAATS_TESTING", default=False)

VAR_DIR = BASE_DIR / "var"


def _local_secret_key() -> str:
    """Return this installation's own random key, kept in var/secret_key (never committed)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds no usable key; delete it or set SECRET_KEY.")
    return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # A development key only: never used when DEBUG is off outside the test suite.
        SECRET_KEY = "django-insecure-development-only-key-not-for-production-use-000"
    else:
        SECRET_KEY = _local_secret_key()

PORT = os.environ.get("PORT", "8000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "bouwplaats.core",
    "bouwplaats.search",
    "bouwplaats.accounts",
    "bouwplaats.programmes",
    "bouwplaats.events",
    "bouwplaats.spaces",
    "bouwplaats.newsletters",
    "bouwplaats.projects",
    "bouwplaats.knowledge",
    "bouwplaats.planning",
    "bouwplaats.anchoring",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # The RQ backend (TASKS_BACKEND=rq) and its worker command, `manage.py rqworker`.
    "django_rq",
    "django_tasks_rq",
]

MIDDLEWARE = [
    # First, so that its request id and timing cover every other middleware.
    "bouwplaats.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bouwplaats.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bouwplaats.core.request_guard.RefuseNulBytesMiddleware",
]

ROOT_URLCONF = "bouwplaats.urls"
WSGI_APPLICATION = "bouwplaats.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bouwplaats" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bouwplaats.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ out of the box, PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bouwplaats.sqlite3'}")
# Kept connections are checked before reuse: one that a database restart broke is replaced
# instead of failing the next request (tests/stack/test_faults_db.py).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server let psycopg prepare the statements a connection repeats
    # (from the second use on), so PostgreSQL skips parsing and planning them: about half
    # its work on the registration path (bench/registration_rush.py).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers continue while one writer works; IMMEDIATE takes the write lock at
        # BEGIN so that concurrent writers queue instead of failing on lock upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # One test database per process, so that parallel test runs never share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica (issue 17 §1; bouwplaats/core/db_router.py): GET/HEAD of the read-only views
# below read from it outside transactions; writes, the registration and quota path (atomic,
# select_for_update), registrations and members always use the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_READ_VIEWS = [
    "events:list",
    "knowledge:index",
    "knowledge:questions",
    "search:results",
    "planning:public",
    "api-v1:list_sessions",
    "api-v1:list_knowledge",
    "api-v1:list_questions",
    "api-v1:list_works",
    "api-v1:search",
]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # The test run reads the primary's test database through this alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["bouwplaats.core.db_router.ReplicaRouter"]
    MIDDLEWARE.append("bouwplaats.core.db_router.ReplicaReadsMiddleware")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# After logging in (no safe ``next``): Mijn Bouwplaats, the member's own page; the profile is
# filled in at sign-up, so there is nothing to complete first.
LOGIN_REDIRECT_URL = "mine:index"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: log in by email, verified addresses, rate-limited login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# A visitor who signed up from a session page and confirms their address in the same browser
# is logged in and lands back where they came from (the `next` of the sign-up).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "bouwplaats.accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "bouwplaats.accounts.adapter.AccountAdapter"
# Counted in the default cache, which every worker process shares (CACHES below).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Bouwplaats] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
SOCIALACCOUNT_PROVIDERS = {
    # Government identity providers (OpenID Connect) are configured in the admin as social apps.
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
# Earlier entries win. accounts/allauth_u: allauth's Dutch in the "u" form (issue 15 §8); after
# locale/, so that makemessages keeps writing every string to locale/.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "bouwplaats" / "accounts" / "allauth_u"]
# One Dutch date format everywhere: "dinsdag 15 december 2026" (bouwplaats/core/formats/nl).
FORMAT_MODULE_PATH = ["bouwplaats.core.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "bouwplaats" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def media_storage(env) -> dict:
    """Return the STORAGES entry for uploads from the environment mapping ``env``.

    The folder MEDIA_ROOT by default; ``MEDIA_STORAGE=s3`` is S3 or any S3-compatible server
    through django-storages: bucket AWS_STORAGE_BUCKET_NAME, optionally AWS_S3_ENDPOINT_URL,
    AWS_S3_REGION_NAME, AWS_S3_ADDRESSING_STYLE (``path`` for most S3-compatible servers) and
    AWS_LOCATION (a prefix); the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the
    machine's role) are read by boto3 itself. Files stay private: pages stream them after
    their access check. Raises ImproperlyConfigured for another kind or a missing bucket.
    """
    kind = env.get("MEDIA_STORAGE", "").strip().lower() or "filesystem"
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE {kind!r} is unknown; use filesystem or s3.")
    if not env.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env.get("AWS_S3_REGION_NAME") or None,
            "location": env.get("AWS_LOCATION", ""),
            "default_acl": "private",
            "file_overwrite": False,
            # An unreachable store answers within seconds: the upload gets a clear error.
            "client_config": Config(
                s3={"addressing_style": env.get("AWS_S3_ADDRESSING_STYLE") or "auto"},
                connect_timeout=5,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 2},
            ),
        },
    }


STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Mail: console unless EMAIL_URL (or EMAIL_HOST) names an SMTP server.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bouwplaats <noreply@bouwplaats.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url: str) -> dict:
    """Return Django's EMAIL_* settings for a mail URL.

    ``console://`` prints mail; ``smtp://user:password@host:port`` sends over SMTP, with
    STARTTLS on port 587 (the submission port); ``smtps://`` (port 465 by default) speaks TLS
    from the first byte; ``submission://`` is STARTTLS on port 587 by default. Any other scheme
    raises ImproperlyConfigured, so a typo never becomes a silent SMTP to localhost:25.
    """
    from urllib.parse import unquote, urlsplit

    parsed = urlsplit(url)
    scheme = parsed.scheme.lower()
    if scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {scheme!r} is unknown; use one of "
            f"{', '.join(f'{known}://' for known in EMAIL_BACKENDS)}."
        )
    if scheme == "console":
        return {"EMAIL_BACKEND": EMAIL_BACKENDS["console"]}
    if not parsed.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL {scheme}:// needs a host name.")
    try:
        port = parsed.port or {"smtps": 465, "submission": 587}.get(scheme, 25)
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {error}") from None
    return {
        "EMAIL_BACKEND": EMAIL_BACKENDS[scheme],
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_USE_TLS": scheme != "smtps" and port == 587,
    }


if os.environ.get("EMAIL_URL"):
    globals().update(email_settings(os.environ["EMAIL_URL"]))
elif os.environ.get("EMAIL_HOST"):
    # The older pair of variables, kept for existing installations: the same rules by port.
    globals().update(
        email_settings(f"smtp://{os.environ['EMAIL_HOST']}:{os.environ.get('EMAIL_PORT', '25')}")
    )
else:
    EMAIL_BACKEND = EMAIL_BACKENDS["console"]
# Seconds before an SMTP connection or command gives up: a slow mail server never holds a
# request, a worker or a row lock for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Background work: django-tasks, database backend by default (worker: `manage.py db_worker`).
# TASKS_BACKEND=rq queues in Redis at RQ_URL for RQ workers on any number of machines:
# `manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler default`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
if TASKS_BACKEND == "rq":
    TASKS_BACKEND = "django_tasks_rq.RQBackend"
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
# The admin's RQ queue overview only where there is an RQ queue to show.
RQ_SHOW_ADMIN_LINK = TASKS_BACKEND == "django_tasks_rq.RQBackend"
RQ_URL = os.environ.get("RQ_URL", "redis://127.0.0.1:6379/1")
# Seconds before RQ stops a job: a long newsletter send is taken over by its watchdog job.
RQ_QUEUES = {
    "default": {"URL": RQ_URL, "DEFAULT_TIMEOUT": int(os.environ.get("RQ_TIMEOUT", "3600"))}
}
# `manage.py rqworker` runs each job in the worker's own process, no work horse forked per job
# (core/rq_worker.py: its database connection kept and checked between jobs).
RQ = {"WORKER_CLASS": "bouwplaats.core.rq_worker.Worker"}
# /healthz (core/health.py) answers 503 when the oldest queued task waited longer than this
# (seconds), or an outbox row (core.OwedTask) has been due longer: two runs of the five-minute
# requeue_owed_work timer missed.
HEALTHZ_QUEUE_MAX_AGE = int(os.environ.get("HEALTHZ_QUEUE_MAX_AGE", "900"))
HEALTHZ_OWED_MAX_AGE = int(os.environ.get("HEALTHZ_OWED_MAX_AGE", "600"))
# Seconds a worker's claim on mail it is sending lasts without a sign of life: after that any
# running worker takes the newsletter issue (or the registration mails) over.
NEWSLETTER_WORKER_LEASE = int(os.environ.get("NEWSLETTER_WORKER_LEASE", "120"))
MAIL_CLAIM_LEASE = int(os.environ.get("MAIL_CLAIM_LEASE", "120"))
# A stakeholder not re-rated for this many days is flagged in the stakeholder field.
STAKEHOLDER_RERATE_DAYS = int(os.environ.get("STAKEHOLDER_RERATE_DAYS", "90"))

MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)
# The residents' street search: PDOK Locatieserver, the Dutch convention (planning.locator).
PDOK_LOCATIESERVER_URL = os.environ.get(
    "PDOK_LOCATIESERVER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
)

# Security: strict by default, HTTPS-only cookies and HSTS when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# HTTPS is assumed whenever DEBUG is off (a proxy in front sets X-Forwarded-Proto): secure
# cookies, the redirect and HSTS. Serving plain HTTP on loopback (`make run`) says HTTPS=0.
HTTPS = env_bool("HTTPS", default=not (DEBUG or TESTING))
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A monitor or load balancer may ask the health check over plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Both promise something about the whole domain (every subdomain on HTTPS; a place on the
    # browsers' preload list that takes months to leave), so the domain's owner opts in.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    # `check --deploy` asks for both; not opting in is the owner's documented choice (README).
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]


def _origin(url: str) -> str:
    from urllib.parse import urlparse

    parsed = urlparse(url.replace("{", "").replace("}", ""))
    return f"{parsed.scheme}://{parsed.netloc}" if parsed.netloc else ""


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Leaflet and htmx set style attributes; scripts stay strictly same-origin.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", _origin(MAP_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


def cache_settings(url: str) -> dict:
    """Return the default cache for a CACHE_URL.

    The cache is shared by every worker process, so that allauth's login rate limits count
    across all of them: ``db://`` (the default) is Django's database cache table (created by
    ``manage.py createcachetable``), ``redis://host:6379/0`` or ``rediss://`` is Redis through
    django-redis. Any other scheme raises ImproperlyConfigured.
    """
    scheme = url.partition("://")[0].lower()
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": url.partition("://")[2] or "bouwplaats_cache",
        }
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # Redis down is a cache miss, not a 500: pages and sessions (from the
                # database) still work; rate-limited actions (logging in, signing up) are
                # refused with 429 until Redis is back, so no attempt goes uncounted.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {scheme!r} is unknown; use db:// or redis://host:port/db."
    )


CACHES = {"default": cache_settings(os.environ.get("CACHE_URL") or "db://")}
# Seconds a page cached for visitors may be old (bouwplaats/core/page_cache.py): publishing,
# changing or cancelling shows at once, seat counts and works within this time. 0 turns the
# cache off: with DEBUG and in the test suite, where each test sees its own writes at once.
VISITOR_PAGE_CACHE_SECONDS = int(
    os.environ.get("VISITOR_PAGE_CACHE_SECONDS", "0" if (DEBUG or TESTING) else "30")
)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions live in the database; with Redis every process reads them through the cache
# (cached_db), so a flushed or stopped Redis logs nobody out.
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The secrets that deploy/bouwplaats.env.example (and its compose file) leave as placeholders.
PLACEHOLDER_SECRET = "change-me"
SECRET_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "CACHE_URL",
    "RQ_URL",
    "EMAIL_URL",
    "AWS_SECRET_ACCESS_KEY",
)


def refuse_placeholder_secrets(environ: Mapping[str, str]) -> None:
    """Raise ImproperlyConfigured naming the first secret variable that holds ``change-me``."""
    for name in SECRET_VARIABLES:
        if PLACEHOLDER_SECRET in unquote(environ.get(name, "")).lower():
            raise ImproperlyConfigured(
                f"{name} still holds the placeholder '{PLACEHOLDER_SECRET}' of "
                "deploy/bouwplaats.env.example; set a real secret (a password in a URL "
                "percent-encoded) or DEBUG=1 for development."
            )


if not (DEBUG or TESTING):
    refuse_placeholder_secrets(os.environ)


def logging_settings(log_format: str, level: str) -> dict:
    """Return LOGGING for LOG_FORMAT ``text`` (plain lines) or ``json`` (one object a line).

    JSON lines carry time (ISO 8601, UTC), level, logger, message and request_id, plus
    method, path, status and duration_ms on the request lines (``bouwplaats.request``, shown
    at INFO only in JSON; in text mode gunicorn's access log is the request line). Any other
    format raises ImproperlyConfigured.
    """
    if log_format not in {"text", "json"}:
        raise ImproperlyConfigured(f"LOG_FORMAT {log_format!r} is unknown; use text or json.")
    formatters = {"json": dict(JSON_FORMATTER)}
    handler = {
        "class": "logging.StreamHandler",
        # A 403 is one line ("Forbidden (Permission denied): /path"), never a traceback.
        "filters": ["refusals", "request", "level"],
    }
    if log_format == "json":
        handler["formatter"] = "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "refusals": {"()": "bouwplaats.core.logfilters.RefusalWithoutTraceback"},
            "request": {"()": "bouwplaats.core.logfilters.RequestContext"},
            # LOG_LEVEL also for loggers a library sets itself (RQ's rq.worker at INFO).
            "level": {
                "()": "bouwplaats.core.logfilters.LevelFloor",
                "level": level,
                "keep": ("bouwplaats.request",),
            },
        },
        "formatters": formatters,
        "handlers": {"console": handler},
        "loggers": {"bouwplaats.request": {"level": "INFO" if log_format == "json" else "WARNING"}},
        "root": {"handlers": ["console"], "level": level},
    }


LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = logging_settings(LOG_FORMAT, os.environ.get("LOG_LEVEL", "WARNING"))
if LOG_FORMAT == "json":
    # Python's warnings become log records too, so that stderr holds nothing but JSON lines.
    logging.captureWarnings(True)

NINJA_PAGINATION_PER_PAGE = 50
# Bounded paging: an offset past any real list is refused with 422 instead of overflowing the
# database's integer type.
NINJA_PAGINATION_MAX_LIMIT = 1000
NINJA_PAGINATION_MAX_OFFSET = 10_000_000

# Open questions without any answer for longer than this many days go to the programme team
# in the daily digest (manage.py knowledge_digest).
KNOWLEDGE_UNANSWERED_DAYS = int(os.environ.get("KNOWLEDGE_UNANSWERED_DAYS", "7"))
# Days after the first answer by someone else that an asker who accepted none is reminded (once).
KNOWLEDGE_ACCEPT_REMINDER_DAYS = int(os.environ.get("KNOWLEDGE_ACCEPT_REMINDER_DAYS", "7"))

# The load bench's baseline, /bench/bare/ (bouwplaats/core/bench_views.py): off in production.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", default=False)
