"""Settings for the heritage damage tracker.

Everything that differs between a laptop and production comes from the environment; every
variable is listed, with its default, in `.env.example`. A bad value stops start-up with an
ImproperlyConfigured error naming the variable, rather than running half-configured.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from import_export.formats import base_formats

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but the usual spellings is an error, not False."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

# A fixed key is tolerable only on a developer's machine; production must bring its own.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for local use, run with DJANGO_DEBUG=1 or use `make run`)."
        )
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    # Long work as jobs (label `jobs`): the Job record, its runner and its admin.
    "heritage.jobs",
    # Our app label is `sites`: never add django.contrib.sites, whose label is also `sites`.
    "sites",
    "reports",
]

MIDDLEWARE = [
    "heritage.requestlog.RequestLogMiddleware",
    # The public's reads from a replica, when DATABASE_REPLICA_URLS names any; around all that
    # follows, so that everything a request reads comes from the one it chose.
    "heritage.read_replicas.ReadReplicaMiddleware",
    # Under /api/ and /evidence/ an unknown address is a JSON 404 in debug mode too.
    "heritage.api.errors.not_found_in_json",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers 304 to a repeated conditional GET, from an ETag of the response body.
    "django.middleware.http.ConditionalGetMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # heritage.lean's are Django's own, which reads of the API (no login, no writes, English
    # only) go past.
    "heritage.lean.SessionMiddleware",
    # The pages' language from their address (/ar/…); the admin's from the browser.
    "heritage.lean.LocaleMiddleware",
    # Django's, except that a write under /api/ is never redirected to the address with a slash.
    "heritage.api.errors.CommonMiddleware",
    # Django's own: `check --deploy` looks for it by name (and it costs a read little).
    "django.middleware.csrf.CsrfViewMiddleware",
    "heritage.lean.AuthenticationMiddleware",
    "heritage.lean.MessageMiddleware",
    # Records which curator made each change kept in the history.
    "heritage.lean.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "heritage.urls"

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
                "reports.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "heritage.wsgi.application"

# SQLite under the git-ignored var/ by default; DATABASE_URL (postgres://…) for PostgreSQL.
VAR_DIR = BASE_DIR / "var"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'heritage.sqlite3'}",
            conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0 if DEBUG else 60),
            conn_health_checks=True,
        )
    }
except ValueError as error:  # dj-database-url's UnknownSchemeError is a ValueError
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Two curators saving at once: each transaction takes the write lock as it begins and the
    # other waits for it (up to 20 s). SQLite's default (take it at the first write) let two
    # transactions that had both read deadlock, and one failed at once: "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    # A database that is down must be noticed at once (connection refused is immediate;
    # this bounds an unreachable host), so requests answer 503 instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DJANGO_DB_CONNECT_TIMEOUT", 2
    )


# Read replicas (heritage/read_replicas.py): PostgreSQL hot standbys of the primary that answer
# the public's reads (the API, the pages, exports); the admin and every write use the primary.
# One alias each (replica1, replica2, …); none by default.


def replica_database(url: str, entry: int) -> dj_database_url.DBConfig:
    """The DATABASES entry of the replica at `url` (entry `entry` of DATABASE_REPLICA_URLS)."""
    try:
        replica = dj_database_url.parse(
            url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
        )
    except ValueError:  # the URL is not repeated: it may hold a password
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: entry {entry} is not a database URL."
        ) from None
    if "postgresql" not in replica["ENGINE"] or "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS needs PostgreSQL: postgres:// replicas of a postgres:// "
            f"DATABASE_URL (entry {entry} or the primary is another database)."
        )
    options = replica.setdefault("OPTIONS", {})
    options["connect_timeout"] = DATABASES["default"]["OPTIONS"]["connect_timeout"]
    # In tests: a standby mirrors the primary's whole cluster, so the test database made on
    # the primary is there too, under the same name.
    replica["TEST"] = {"MIRROR": "default"}
    return replica


DATABASE_REPLICAS: list[str] = []
for _entry, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_entry}"] = replica_database(_url, _entry)
    DATABASE_REPLICAS.append(f"replica{_entry}")
DATABASE_ROUTERS = ["heritage.read_replicas.ReplicaRouter"]
# How often (seconds) each process asks a replica whether it is well, and how far behind the
# primary (seconds) it may be and still answer (0: however far).
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5)
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 30)
# For this long (seconds) after a signed-in curator's last admin request, their browser's public
# reads go to the primary, so they see their own writes at once. At least the lag allowed.
DATABASE_CURATOR_PRIMARY_SECONDS = env_int("DATABASE_CURATOR_PRIMARY_SECONDS", 300)
if DATABASE_REPLICA_CHECK_SECONDS < 1 or DATABASE_REPLICA_MAX_LAG < 0:
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_CHECK_SECONDS must be 1 or more, DATABASE_REPLICA_MAX_LAG 0 or more."
    )
if DATABASE_REPLICAS and DATABASE_CURATOR_PRIMARY_SECONDS < DATABASE_REPLICA_MAX_LAG:
    raise ImproperlyConfigured(
        "DATABASE_CURATOR_PRIMARY_SECONDS must be at least DATABASE_REPLICA_MAX_LAG: a curator "
        "would read a replica still missing their write."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The public pages are in English and Arabic (/ar/…); the admin follows the curator's browser
# (Django ships its own Arabic). Our messages: locale/, compiled .mo files committed.
LANGUAGES = [("en-gb", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Citable releases (manage.py export_release): the public address their links use, who
# publishes them, their licence; the public pages list those in RELEASES_DIR.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
RELEASE_PUBLISHER = os.environ.get("RELEASE_PUBLISHER", "Heritage damage tracker")
RELEASE_LICENCE = os.environ.get("RELEASE_LICENCE", "CC BY 4.0")
RELEASE_LICENCE_URL = os.environ.get(
    "RELEASE_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
RELEASES_DIR = BASE_DIR / os.environ.get("RELEASES_DIR", "var/releases")  # relative: to here

# The public pages' map tiles: any {z}/{x}/{y} tile server, with the attribution its terms ask
# for. Pages work without tiles (markers on a blank map) when the server cannot be reached.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

STATIC_URL = "static/"
# The project's own static files (the favicon); the apps keep theirs in <app>/static/.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # filled by collectstatic (make serve)
# In debug mode WhiteNoise serves straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"  # never served as such: photos go through reports.views.evidence_file
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")


def s3_storage(
    bucket: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    addressing_style: str | None = None,
) -> dict[str, Any]:
    """The photos' storage in an S3-compatible bucket (heritage.object_storage). Credentials
    come from the environment as boto3 reads them (AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or an instance role). The tests build theirs here too."""
    if addressing_style not in (None, "path", "virtual"):
        raise ImproperlyConfigured(
            f"DJANGO_S3_ADDRESSING_STYLE must be path or virtual; got {addressing_style!r}"
        )
    return {
        "BACKEND": "heritage.object_storage.PrivateBucket",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "addressing_style": addressing_style,
            # Cloudflare R2 and current AWS regions take only version 4 signatures.
            "signature_version": "s3v4",
            # No ACL on the objects: the bucket's own (private unless made otherwise) applies.
            # New AWS buckets have ACLs disabled and refuse an upload that names one.
            "default_acl": None,
            # Names are content hashes: the same name is the same bytes (and no HEAD first).
            "file_overwrite": True,
            "querystring_auth": True,
        },
    }


# Uploaded photos go through Django's storage API: files under MEDIA_ROOT by default, or an
# S3-compatible bucket when DJANGO_S3_BUCKET is set.
STORAGES: dict[str, dict[str, Any]] = {
    # Names are content hashes: a file under an existing name holds the same bytes.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"allow_overwrite": True},
    },
    # Compressed copies, served by WhiteNoise from the application itself.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("DJANGO_S3_BUCKET"):
    STORAGES["default"] = s3_storage(
        os.environ["DJANGO_S3_BUCKET"],
        endpoint_url=os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        region=os.environ.get("DJANGO_S3_REGION") or None,
        addressing_style=os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None,
    )
# With a bucket, a photo's address answers a redirect to a signed address of the file valid
# this long (at most 7 days, S3's limit): the time a retracted report's photo may still be
# fetched by someone who asked for it while it was public.
PHOTO_URL_SECONDS = env_int("DJANGO_S3_URL_SECONDS", 300)
if not 1 <= PHOTO_URL_SECONDS <= 604_800:
    raise ImproperlyConfigured(
        f"DJANGO_S3_URL_SECONDS must be between 1 and 604800; got {PHOTO_URL_SECONDS}"
    )

# Curators' sessions: never readable from page scripts, never sent cross-site.
SESSION_COOKIE_HTTPONLY = True
# A form's fields (files aside) may total this much: the article pasted in the admin may hold
# 2 MB of text (reports.ingest.reading.MAX_BYTES) of up to 4 bytes a character in the form's
# encoding, so that the form, not a bare 400 page, says when it is too large.
DATA_UPLOAD_MAX_MEMORY_SIZE = 9 * 1024 * 1024
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS everywhere unless in debug mode; each can be turned off for a local run without TLS.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is asked over plain HTTP by load balancers on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The public API: read-only for everyone, no accounts (curators write through the admin).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)
# Answers of the public API are kept in the "api" cache, filed under this number, which grows
# with every change to public data (so they are never stale). In each process's memory by
# default: API_CACHE_ENTRIES answers (a page of 100 reports is about 140 kB); 0 keeps none.
API_DATA_VERSION = "reports.models.public_data_version"
API_CACHE_ENTRIES = env_int("API_CACHE_ENTRIES", 200)
# With REDIS_URL, both caches live in Redis, shared by every worker and server: a client is
# throttled at the rate in total, and an answer one worker computed is kept for all. Without it
# (make run), each process keeps its own. Redis failing is survived (heritage.cache).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Kept answers in Redis expire after this many seconds: once the data version moves, the
# answers filed under the old one are never asked for again, and this frees their room.
API_CACHE_TIMEOUT = env_int("API_CACHE_TIMEOUT", 3600)


def _cache(purpose: str, **local: Any) -> dict[str, Any]:
    if REDIS_URL:
        return {
            "BACKEND": "heritage.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": purpose,
            # A Redis that does not answer must not hold a request up for long.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            **({"TIMEOUT": API_CACHE_TIMEOUT} if purpose == "api" else {}),
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **local}


CACHES = {
    # Throttling counts.
    "default": _cache("throttle"),
    "api": _cache(
        "api",
        LOCATION="api-answers",
        TIMEOUT=None,  # filed under the data version: never stale, only superseded
        OPTIONS={"MAX_ENTRIES": API_CACHE_ENTRIES},
    )
    if API_CACHE_ENTRIES > 0
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Long work runs as jobs (heritage/jobs/): spreadsheets beyond the admin's limits, articles by
# the folder or feed, the World Heritage List, releases. With CELERY_BROKER_URL (Redis, e.g.
# redis://127.0.0.1:6379/1) they are queued and `make worker` runs them; without it (make run)
# a job runs in the request that starts it, within what a request can afford.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(
    ("redis://", "rediss://", "redis+socket://")
):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must be a Redis URL (redis://host:6379/1); got {CELERY_BROKER_URL!r}"
    )
JOBS_QUEUED = bool(CELERY_BROKER_URL)
# A job's outcome is its Job row: Celery keeps no results of its own.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs are long: a worker process takes the next one only when it is free.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 2)
# Starting a job while Redis is down must not hold a curator's request for long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# A job running longer than this is stopped and marked failed (seconds).
CELERY_TASK_TIME_LIMIT = env_int("JOBS_TIME_LIMIT", 6 * 3600)
# Our logging configuration, not Celery's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Input files of a failed job are kept this long (days) so that it can be retried; a job that
# succeeds removes its own at once.
JOBS_FAILED_INPUT_MAX_AGE = env_int("JOBS_FAILED_INPUT_DAYS", 7) * 86400
# A running job that has not reported progress for this long (seconds) is shown as stalled
# (its worker was stopped) and may be retried.
JOBS_STALLED_AFTER = env_int("JOBS_STALLED_AFTER", 900)

# Our own classes are set on heritage.api.viewsets.PublicViewSet (naming them here would be a
# circular import); these defaults cover the API root and the schema views.
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "heritage.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "heritage.health.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Heritage damage tracker API",
    "DESCRIPTION": "Read-only access to UNESCO World Heritage sites, their monuments, and "
    "dated, sourced damage reports. Only published reports appear. Coordinates of sensitive "
    "sites are rounded to 0.1°.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "reports.vocabularies.DatePrecision",
        "ExtentEnum": "reports.vocabularies.Extent",
        "DamageTypeEnum": "reports.vocabularies.DamageType",
        "CertaintyEnum": "reports.vocabularies.Certainty",
        "MonumentKindEnum": "sites.models.Monument.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "heritage.api.schema.nullable_references",
    ],
}
# Spreadsheets in the admin: CSV and XLSX; importing needs the "add" permission.
IMPORT_EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Anyone may read the API, and the public photos its answers link to, from a browser page on
# another origin (a map drawing thumbnails); nothing else crosses origins.
CORS_URLS_REGEX = r"^/(api|evidence)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Logs go to standard error; as one JSON object a line unless DJANGO_LOG_FORMAT=text.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "heritage.requestlog.JSONFormatter"},
        "text": {"()": "heritage.requestlog.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line a request, from heritage.requestlog; the server's own access log is off
        # (runserver's would say each request a second time, 4xx and 5xx as warnings).
        "heritage.requests": {"level": "INFO"},
        "django.server": {"handlers": ["nowhere"], "propagate": False},
        # Django's messages once, through the root's handler: its own default config adds a
        # console handler of its own in debug mode, which said each of them twice.
        "django": {"level": "INFO"},
        # Already in the request line (with its status); not twice.
        "django.request": {"level": "ERROR"},
        # A request for a host not in DJANGO_ALLOWED_HOSTS is the client's mistake (or a
        # scanner's): answered 400, and said in the request line, not with a traceback.
        "django.security.DisallowedHost": {"handlers": ["nowhere"], "propagate": False},
    },
}

# Spreadsheet imports (heritage/spreadsheets.py). The admin previews and then confirms, each in
# a page request: 1,000 new sites took 16 s a step on the shared 2-core machine (history and
# search text make sites the dearest), so 500 rows stay near 8 s, inside gunicorn's 30 s; 5 MB
# holds them with long texts. Larger files go through `manage.py import_spreadsheet`.
SPREADSHEET_ADMIN_LIMITS = {
    "max_bytes": 5_000_000,
    "max_rows": 500,
    "max_columns": 50,
    "max_unzipped_bytes": 50_000_000,
    "max_strings": 100_000,
}
SPREADSHEET_COMMAND_LIMITS = {
    "max_bytes": 200_000_000,
    "max_rows": 500_000,
    "max_columns": 50,
    "max_unzipped_bytes": 2_000_000_000,
    "max_strings": 1_000_000,
}
# Uploads between their preview and its confirmation; unconfirmed ones are removed by the next
# import once older than this (seconds).
SPREADSHEET_UPLOAD_DIR = Path(tempfile.gettempdir()) / "heritage-spreadsheet-uploads"
SPREADSHEET_UPLOAD_MAX_AGE = 2 * 3600

# How many reverse proxies stand in front of the application, each appending to
# X-Forwarded-For the address it was called from. Throttling counts per client address: with
# 0 (the default) the connection's own; behind N proxies, the N-th from the right of
# X-Forwarded-For. Never more than there really are: the entries further left are the client's
# own writing, and trusting them lets a client escape throttling.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES must be 0 or more; got {TRUSTED_PROXIES}")
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXIES  # for DRF's own throttles, should a view use them
