"""Settings of Konzept K, read from the environment.

Nothing is required for the embedded default (SQLite in the data directory, mail to files,
jobs in-process). Production sets ``SECRET_KEY``, ``DATABASE_URL``, ``ALLOWED_HOSTS`` and
usually ``REDIS_URL``, ``MQTT_URL`` and ``EMAIL_URL``. See docs/operations.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DATA_DIR = Path(env.str("KONZEPTK_DATA_DIR", default=str(PACKAGE_DIR.parent / "var"))).resolve()
DEMO_MODE = env.bool("KONZEPTK_DEMO", default=False)
DEBUG = env.bool("KONZEPTK_DEBUG", default=False)


def _secret_key() -> str:
    """The secret key from the environment, or one generated once into the data directory."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
SECRET_KEY_FROM_ENV = bool(env.str("SECRET_KEY", default=""))
# Secret of the disclosure control's record keys (insights/engine/disclosure.py); empty: SECRET_KEY.
# Keep it fixed for the life of the platform: a new one gives every published count a new deviation.
DISCLOSURE_KEY = env.str("DISCLOSURE_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# HTTPS hardening is on unless this is a local demo or a debug run.
HTTPS = env.bool("KONZEPTK_HTTPS", default=not (DEMO_MODE or DEBUG))

INSTALLED_APPS = [
    "konzeptk.core",
    "konzeptk.city",
    "konzeptk.accounts",
    "konzeptk.notifications",
    "konzeptk.strategy",
    "konzeptk.participation",
    "konzeptk.ballots",
    "konzeptk.surveys",
    "konzeptk.insights",
    "konzeptk.sensing",
    "konzeptk.servicedesk",
    "konzeptk.innercity",
    "konzeptk.interimuse",
    "konzeptk.events",
    "konzeptk.economy",
    "konzeptk.education",
    "konzeptk.resilience",
    "konzeptk.climate",
    "konzeptk.opendata",
    "modeltranslation",  # before the admin (content in six languages, docs/architecture.md)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_ratelimit",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
]

MIDDLEWARE = [
    "konzeptk.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "konzeptk.core.errors.ErrorContractMiddleware",  # errors under /api/v1/, /sta/, /georeport/ in the API's format
    "konzeptk.core.middleware.NulCharacterMiddleware",  # NUL in query, form or JSON: 400, not a database error
    "konzeptk.core.redirects.LegacyQueryMiddleware",  # ?seite=2 → 301 to ?page=2 (query names are English)
    "django.middleware.common.CommonMiddleware",
    # its process_view runs before CSRF's, so forged and junk writes count too; request.user is set by then
    "konzeptk.core.middleware.WriteLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "konzeptk.urls"
WSGI_APPLICATION = "konzeptk.wsgi.application"
FORM_RENDERER = "konzeptk.core.forms.KernFormRenderer"  # {{ form }} renders KERN fields everywhere

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "konzeptk.core.context_processors.platform",
            ],
        },
    },
]

# --- Databases -----------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
_sqlite_default = f"sqlite:///{DATA_DIR / 'konzeptk.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_sqlite_default)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one writer writes; IMMEDIATE avoids upgrade deadlocks.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=5000;PRAGMA foreign_keys=ON;"
                # reads through a memory map instead of a read() call per page: a new connection (one per
                # request) reads the index pages of a big table from the OS cache without copying them
                "PRAGMA mmap_size=1073741824;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, jobs, brokers ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# "default" is a fast cache (local to the process in the embedded default). "shared" holds what every
# process must see alike, above all the rate-limit counters of django-ratelimit and allauth
# (konzeptk/core/ratelimits.py): Redis, or the database table made by migration core.0002.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shared",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "konzeptk.core.cache.AtomicDatabaseCache",
            "LOCATION": "konzeptk_shared_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
RATELIMIT_USE_CACHE = "shared"
# Behind a reverse proxy every request comes from the proxy's address: with the number of trusted
# proxies, allauth and the rate limits take the client's address from X-Forwarded-For instead.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("KONZEPTK_TRUSTED_PROXIES", default=0)
RATELIMIT_IP_META_KEY = "konzeptk.core.ratelimits.client_ip"
# Django's RedisCache is atomic (INCR) but not on django-ratelimit's list of known backends.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
# Overrides of single named limits of konzeptk/core/ratelimits.py as JSON, e.g. '{"report": "50/h"}'.
KONZEPTK_RATE_LIMITS: dict[str, str] = env.json("KONZEPTK_RATE_LIMITS", default={})
# How long the home page keeps what the rooms contribute (core/front_door_registry.py); 0 asks every time.
KONZEPTK_FRONT_DOOR_SECONDS = env.int("KONZEPTK_FRONT_DOOR_SECONDS", default=60)
MAX_REQUEST_BYTES = 32 * 1024 * 1024  # larger bodies are refused from Content-Length (core/middleware.py)

# Background jobs (konzeptk/celery.py, docs/operations.md). Without REDIS_URL every task runs at once
# in the calling process and nothing is scheduled; with it Redis is the broker of
# ``celery -A konzeptk worker`` and ``celery -A konzeptk beat``.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that sends a task while Redis is down gives up after about a second (the work is
# caught up by the next scheduled run) instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Longer than the longest time limit, so Redis does not hand a running acks_late task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200, "socket_connect_timeout": 5}
CELERY_TASK_IGNORE_RESULT = True  # no task returns anything a caller waits for; no result backend
CELERY_RESULT_EXPIRES = None  # no results, so no nightly celery.backend_cleanup
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 660
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks do not hold back short ones queued behind them
CELERY_TIMEZONE = "Europe/Berlin"
# participation's tasks are idempotent (they claim what they send or rewrite their files): a task a
# dying worker had taken runs again.
CELERY_TASK_ANNOTATIONS = {
    "participation.announce_phases": {"acks_late": True},
    "participation.send_digests": {"acks_late": True},
    # notifications' tasks claim every mail before sending it: a task run again sends nothing twice
    "notifications.send_mails": {"acks_late": True},
    "notifications.send_digests": {"acks_late": True},
    "participation.dump": {"acks_late": True, "soft_time_limit": 1800, "time_limit": 1860},
}
# Opinion groups after votes (konzeptk/insights/background.py): "celery" sends a task to the worker,
# "thread" recomputes in the web process, "command" leaves it to ``konzeptk recompute_insights`` (cron).
INSIGHTS_RECOMPUTE = env.str("KONZEPTK_INSIGHTS_RECOMPUTE", default="celery" if REDIS_URL else "thread")
# Indicator values from data series (konzeptk/strategy/background.py): a page view that finds new
# observations asks for a refresh the same way; the page itself never writes.
STRATEGY_REFRESH = env.str("KONZEPTK_STRATEGY_REFRESH", default="celery" if REDIS_URL else "thread")
# Sending queued mails (konzeptk/notifications/background.py): "celery" sends a task to the worker,
# "thread" sends from a thread of the process, "command" leaves it to ``konzeptk send_mails`` (cron).
NOTIFICATIONS_SEND = env.str("KONZEPTK_NOTIFICATIONS_SEND", default="celery" if REDIS_URL else "thread")
# Alerts of the city's rules to their subscribers (konzeptk/resilience/fanout.py): "celery" sends a task to the
# worker, "thread" sends from a thread of the process, "inline" at once after the commit (the tests).
RESILIENCE_FANOUT = env.str("KONZEPTK_RESILIENCE_FANOUT", default="celery" if REDIS_URL else "thread")
# Who folds the observations CreateObservations has landed (konzeptk/sensing/landing.py, PostgreSQL): "celery"
# queues a task for the worker and answers at once, "inline" folds in the request (visible with the answer).
SENSING_FOLD = env.str("KONZEPTK_SENSING_FOLD", default="celery" if REDIS_URL else "inline")
if SENSING_FOLD not in ("celery", "inline"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("KONZEPTK_SENSING_FOLD muss celery oder inline sein")
# with "celery": seconds from a landing commit to the fold it queues (one queued fold per process and window)
SENSING_FOLD_DELAY = env.float("KONZEPTK_SENSING_FOLD_DELAY", default=1.0)
# Raw observations older than this many months are pruned nightly (their hourly roll-ups stay). Unset:
# nothing is deleted automatically – how long to keep raw readings is the operator's decision.
SENSING_KEEP_MONTHS = env.int("KONZEPTK_SENSING_KEEP_MONTHS", default=0)
if SENSING_KEEP_MONTHS < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("KONZEPTK_SENSING_KEEP_MONTHS muss mindestens 1 sein (oder fehlen).")
# Folder for the Parquet files of pruned months (prune_observations --archive); empty: no archive.
SENSING_ARCHIVE_DIR = env.str("KONZEPTK_SENSING_ARCHIVE_DIR", default="")
# SensorThings $count=true: "exact" (default) counts every matching row; "estimate" (like FROST's countMode
# LIMIT_ESTIMATE) counts exactly up to STA_COUNT_ESTIMATE_THRESHOLD rows and beyond that answers PostgreSQL's
# planner estimate (SQLite always counts exactly).
STA_COUNT_MODE = env.str("KONZEPTK_STA_COUNT_MODE", default="exact")
STA_COUNT_ESTIMATE_THRESHOLD = env.int("KONZEPTK_STA_COUNT_ESTIMATE_THRESHOLD", default=10_000)
# Beat schedule, local time of Krefeld. A dict as "schedule" holds the fields of
# celery.schedules.crontab; konzeptk/celery.py turns it into one, so reading the settings does not
# import Celery.
# --- Open data ---------------------------------------------------------------------------------
# The address the platform is reached at from outside: every IRI of the DCAT-AP.de catalogue, the
# CKAN API's links and the links in e-mails are built from it, never from the request's host.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# dcatde:contributorID of the catalogue (GovData's contributor vocabulary); Krefeld publishes to GovData
# through Open.NRW. Empty: left out.
KONZEPTK_DCATDE_CONTRIBUTOR_ID = env.str(
    "KONZEPTK_DCATDE_CONTRIBUTOR_ID", default="http://dcat-ap.de/def/contributors/openNRW"
)
# slug of the organisation that publishes the platform's own datasets (empty: the city's core team)
KONZEPTK_OPENDATA_PUBLISHER = env.str("KONZEPTK_OPENDATA_PUBLISHER", default="")

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "participation-announce-phases": {"task": "participation.announce_phases", "schedule": {"minute": 5}},
    "notifications-send-digests": {
        "task": "notifications.send_digests",
        "schedule": {"hour": 7, "minute": 0},
    },
    # retries that have become due and mails a lost dispatch left behind
    "notifications-send-mails": {"task": "notifications.send_mails", "schedule": {"minute": "*"}},
    "participation-dump": {"task": "participation.dump", "schedule": {"hour": 3, "minute": 0}},
    # stale Meinungsbild results a lost dispatch left behind; with nothing to do it costs a few queries
    "insights-recompute-pending": {"task": "insights.recompute_pending", "schedule": {"minute": "*/5"}},
    "insights-representation-snapshots": {
        "task": "insights.representation_snapshots",
        "schedule": {"hour": 23, "minute": 45},
    },
    "strategy-refresh-indicators": {"task": "strategy.refresh_indicators", "schedule": {"minute": 20}},
    "sensing-partitions-ahead": {"task": "sensing.partitions_ahead", "schedule": {"hour": 2, "minute": 30}},
    # observations landed by CreateObservations that a lost task left unfolded (nothing to do: two statements)
    "sensing-fold-landed": {"task": "sensing.fold_landed", "schedule": {"minute": "*"}},
    "opendata-sync": {"task": "opendata.sync", "schedule": {"minute": 40}},
    "opendata-harvest": {"task": "opendata.harvest", "schedule": {"hour": 4, "minute": 10}},
    "opendata-check-links": {"task": "opendata.check_links", "schedule": {"hour": 4, "minute": 50}},
    "events-import-feeds": {"task": "events.import_feeds", "schedule": {"hour": "*/6", "minute": 15}},
    "education-import-sources": {
        "task": "education.import_sources",
        "schedule": {"hour": "*/6", "minute": 35},
    },
    # the reminder the day before a session, from 10:50 on every hour until the evening
    # (a run the worker missed is made up by the next one; a booking is reminded once a day)
    "education-refresh-next-start": {
        "task": "education.refresh_next_start",
        "schedule": {"hour": 0, "minute": 17},
    },
    "education-send-reminders": {
        "task": "education.send_reminders",
        "schedule": {"hour": "10-20", "minute": 50},
    },
    # official warnings (DWD, NINA) from RESILIENCE_WARNING_FEEDS; a message already stored costs one query
    "resilience-import-warnings": {"task": "resilience.import_warnings", "schedule": {"minute": "*/5"}},
    # the city's rules on sensor data: the safety net beside the ingest hook, and alerts a lost job left unsent
    "resilience-evaluate-rules": {"task": "resilience.evaluate_rules", "schedule": {"minute": "*/5"}},
    # seasonal opening hours (Jul-Aug, Easter, week numbers): the weekly table holds the current week
    "economy-refresh-opening-hours": {
        "task": "economy.refresh_opening_hours",
        "schedule": {"hour": 0, "minute": 7},
    },
    # the same for cool places (konzeptk/resilience/coolplaces.py)
    "resilience-refresh-cool-places": {
        "task": "resilience.refresh_cool_places",
        "schedule": {"hour": 0, "minute": 9},
    },
}
if SENSING_KEEP_MONTHS:
    CELERY_BEAT_SCHEDULE["sensing-prune-observations"] = {
        "task": "sensing.prune_observations",
        "schedule": {"hour": 3, "minute": 30},
        "kwargs": {"keep_months": SENSING_KEEP_MONTHS},
    }
# Where the schedule fetches official warnings (konzeptk/resilience/imports.py): source → addresses;
# "{ars}" stands for the regional key of the city profile. JSON in KONZEPTK_WARNING_FEEDS, "{}" for none.
RESILIENCE_WARNING_FEEDS: dict[str, list[str]] = env.json(
    "KONZEPTK_WARNING_FEEDS",
    default={
        "dwd": [
            "https://opendata.dwd.de/weather/alerts/cap/DISTRICT_DWD_STAT/"
            "Z_CAP_C_EDZW_LATEST_PVW_STATUS_PREMIUMDWD_DISTRICT_DE.zip"
        ],
        "nina": ["https://warnung.bund.de/api31/dashboard/{ars}.json"],
    },
)
MQTT_URL = env.str("MQTT_URL", default="")
# MQTT 5 shared subscription group of the bridge ($share/<group>/…): bridges with the same group share
# the messages. Empty: plain subscriptions (one bridge gets everything).
MQTT_SHARE_GROUP = env.str("KONZEPTK_MQTT_SHARE_GROUP", default="konzeptk")

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Konzept K] "
# Failed logins count per address and per (address, account): the key of "login_failed" holds the
# client's address too (accounts/adapter.py), so a stranger cannot lock a person out.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/5m/ip,5/5m/key", "signup": "20/h/ip", "reset_password": "5/h/ip"}
ACCOUNT_PREVENT_ENUMERATION = True
_ACCOUNT_FORMS_MODULE = "konzeptk.accounts.forms"
ACCOUNT_FORMS = {
    "signup": f"{_ACCOUNT_FORMS_MODULE}.SignupForm",
    "login": f"{_ACCOUNT_FORMS_MODULE}.LoginForm",
}
ACCOUNT_ADAPTER = "konzeptk.accounts.adapter.AccountAdapter"

# --- E-mail --------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Konzept K <noreply@konzeptk.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("pl", _("Polnisch")),
    ("uk", _("Ukrainisch")),
]
LANGUAGES_BIDI = ["ar"]
# ISO first in DATE_INPUT_FORMATS of every language, so <input type="date"> shows its value
# (konzeptk/core/formats/__init__.py); German dates are accepted in text fields of every language.
FORMAT_MODULE_PATH = ["konzeptk.core.formats"]
# Content staff enter (titles, descriptions, categories, questions, …) in all six languages:
# django-modeltranslation adds one column per language to the model's own table (no joins, the
# query counts of lists stay as they are); empty translations fall back to German, which the
# templates mark as German (core/templatetags/kk_content.py; the choice in docs/architecture.md).
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_LANGUAGES = ("de", "en", "tr", "ar", "pl", "uk")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)
MODELTRANSLATION_AUTO_POPULATE = False
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"

# --- Static files and uploads --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_ROOT = DATA_DIR / "private"
# Uploads: public ones ("default") and those served only by views ("private"), see core/storage.py.
# With KONZEPTK_S3_BUCKET both go to S3-compatible object storage (django-storages) under the prefixes
# media/ and private/; credentials from KONZEPTK_S3_ACCESS_KEY_ID/…_SECRET_ACCESS_KEY or boto3's own chain.
S3_BUCKET = env.str("KONZEPTK_S3_BUCKET", default="")


def _s3_storage(backend: str, location: str) -> dict[str, Any]:
    return {
        "BACKEND": f"konzeptk.core.storage_s3.{backend}",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": location,
            "endpoint_url": env.str("KONZEPTK_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("KONZEPTK_S3_REGION", default="") or None,
            "access_key": env.str("KONZEPTK_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("KONZEPTK_S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": None,  # the bucket's own (private) policy
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": (
        _s3_storage("MediaS3Storage", "media")
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": (
        _s3_storage("PrivateS3Storage", "private")
        if S3_BUCKET
        else {
            "BACKEND": "konzeptk.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT},
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Map -----------------------------------------------------------------------------------
# A tile server is optional: without one the map shows the outline and districts only.
MAP_TILE_URL = env.str("KONZEPTK_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("KONZEPTK_TILE_ATTRIBUTION", default="")
CITY_PROFILE = env.str("KONZEPTK_CITY", default="krefeld")

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "konzeptk.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("KONZEPTK_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _tile_origin(url: str) -> list[str]:
    if not url.startswith(("https://", "http://")):
        return []
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return [f"{scheme}://{host}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KONZEPTK_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
