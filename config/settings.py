"""Settings read from environment variables (and a local `.env` file) with django-environ.

Every value a deployment changes is an environment variable; see README.md for the list.
"""
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# The test settings skip the developer's `.env`: tests see only what they set themselves.
if env.bool("DJANGO_READ_DOT_ENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "members.admin_apps.ScopedAdminConfig",  # django.contrib.admin, scoped to the subtrees
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "members",
    "recruitment",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "members.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "members.middleware.ChosenLanguageMiddleware",
    # Before anything reads a request's body: an import upload over the limit is refused unread.
    "members.upload_limits.ImportUploadLimitMiddleware",
    "members.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor verified this session; then who still owes one (members/two_factor).
    "django_otp.middleware.OTPMiddleware",
    "members.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form saved (a POST answered by a redirect) drops its draft; after the second factor.
    "members.middleware_drafts.DiscardSavedDraftMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a refused login into the lockout page.
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite file by default; `DATABASE_URL=postgres://user:pass@host:5432/name` for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's connection pool; `DATABASE_POOL=false` when a pooler (pgbouncer) sits in front.
    if env.bool("DATABASE_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # The report statements cost just above PostgreSQL's JIT threshold and run in well under a
    # second: compiling them took longer than running them (measured 1.2 s of JIT for an
    # 0.1 s statement), so the app's sessions run without it.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A covering index (INCLUDE) is PostgreSQL's; SQLite builds the same index on its keys alone,
# which is what we want there, so Django's warning about it says nothing to act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Background work (large reports) through the Django tasks API: jobs wait in the database
# until `python manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# One cache per process by default; several app servers (or gunicorn workers) share one Redis:
# `CACHE_URL=redis://127.0.0.1:6379/1` (Django's RedisCache, the `redis` package).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering fails the request (and /healthz) in seconds instead of
    # holding a gunicorn worker for ever.
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", 2)
    _redis_options.setdefault("socket_timeout", 2)

# Where sessions live: `db` (the default) in the database every app server shares; `cached_db`
# read from the cache and written through to the database (the choice for several servers
# with Redis: a database read saved per request, nothing lost when Redis restarts); `cache` in
# the cache only (a Redis restart or eviction logs everyone out).
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
_session_engine = env("SESSION_ENGINE", default="db").strip()
# Django's own dotted name is accepted too.
_session_engine = {v: k for k, v in _SESSION_ENGINES.items()}.get(_session_engine,
                                                                   _session_engine)
if _session_engine not in _SESSION_ENGINES:
    raise ImproperlyConfigured(
        f"SESSION_ENGINE must be one of {', '.join(_SESSION_ENGINES)}, not {_session_engine!r}."
    )
SESSION_ENGINE = _SESSION_ENGINES[_session_engine]
# A cache of its own in every process would keep a session that was logged out through one
# server alive in the others' memory: the cache engines need a cache the servers share.
if _session_engine != "db" and CACHES["default"]["BACKEND"] in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
):
    raise ImproperlyConfigured(
        f"SESSION_ENGINE={_session_engine} needs a cache shared by every app server: set "
        "CACHE_URL (e.g. redis://127.0.0.1:6379/1)."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a throttled login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (members/auth.py on django-axes): failed logins of one user name from one
# address, and from one address under any names, before a cool-off of LOGIN_LOCKOUT_MINUTES;
# each further failure doubles it, up to LOGIN_LOCKOUT_MAX_MINUTES, which is also how long a
# failure is remembered.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int(
    "LOGIN_ADDRESS_FAILURE_LIMIT", default=4 * LOGIN_FAILURE_LIMIT
)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
LOGIN_LOCKOUT_MAX_MINUTES = env.int("LOGIN_LOCKOUT_MAX_MINUTES", default=24 * 60)
if (min(LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES) < 1
        or LOGIN_LOCKOUT_MAX_MINUTES < LOGIN_LOCKOUT_MINUTES):
    raise ImproperlyConfigured(
        "Login failure limits and waits must be 1 or more, the longest wait no shorter than the "
        "first."
    )
# The client's address: REMOTE_ADDR, or, behind a reverse proxy, the header it appends to
# (`X-Forwarded-For`) and how many proxies append to it; the client's own entries are ignored.
_proxy_header = env("TRUSTED_PROXY_HEADER", default="").strip().upper().replace("-", "_")
TRUSTED_PROXY_HEADER = (
    f"HTTP_{_proxy_header}" if _proxy_header and not _proxy_header.startswith("HTTP_")
    else _proxy_header
)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more.")
AXES_HANDLER = "members.auth.BackoffHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCK_OUT_AT_FAILURE = False  # BackoffHandler decides, with a limit per parameter
AXES_COOLOFF_TIME = "members.auth.failure_memory"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "members.auth.client_ip"
AXES_USERNAME_CALLABLE = "members.auth.throttled_username"
AXES_LOCKOUT_CALLABLE = "members.auth.lockout_response"
# Successful logins are not kept: the table would grow without bound for no use here.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner on every command; lockouts are logged by members/auth.py.
AXES_VERBOSE = False

# Second factor at login (members/two_factor.py): organisation-department staff, administrators
# and superusers confirm each login with an authenticator code or a recovery code.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Phát triển đảng viên"
# The admin lists devices without their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Vietnamese first; English through Django's i18n (`?` language switcher in the footer).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="phattriendangvien@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the site is reached at, for the links of the mails sent without a request
# (the weekly digest).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Shown to users who have no role yet: whom to ask for access.
SUPPORT_CONTACT = env(
    "SUPPORT_CONTACT", default="Quản trị hệ thống tại Ban Tổ chức cấp ủy của đơn vị"
)

PAGE_SIZE = 25
# The same person may not take two successive decisions on one dossier (send it up and then
# resolve on it, resolve and then admit…); see recruitment/services/pipeline.py HANDOVER_CHAINS.
SEPARATION_OF_DUTIES = env.bool("SEPARATION_OF_DUTIES", default=True)
# Bulk import: the largest file accepted, the most rows, and from what size a file is
# imported in the background (`db_worker`) instead of during the request.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_BACKGROUND_MIN_BYTES = env.int("IMPORT_BACKGROUND_MIN_BYTES", default=512 * 1024)
# A running import that gave no sign of life for this long failed (its worker died); the
# uploaded files (personal data) are deleted this many days after their import finished
# (`manage.py purge_imports`, run daily by deploy/purge-imports.timer).
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=10)
IMPORT_RETENTION_DAYS = env.int("IMPORT_RETENTION_DAYS", default=30)
# Place name at the top right of printed documents ("Vĩnh Yên, ngày … tháng … năm …") when
# neither the issuing organisation nor any above it has its own (Organisation.document_place);
# empty: a dotted line to write in by hand, never some other province's name.
DOCUMENT_PLACE = env("DOCUMENT_PLACE", default="")
# What dates an admission ("kết nạp") in the reports: the admission decision (default, as the
# statistics forms count it) or the ceremony; the report's footnote says which.
ADMISSION_COUNTED_ON = env("ADMISSION_COUNTED_ON", default="decision")
if ADMISSION_COUNTED_ON not in ("decision", "ceremony"):
    raise ImproperlyConfigured("ADMISSION_COUNTED_ON là 'decision' hoặc 'ceremony'.")

# Everything the pages load is served from here (static/); Pico's stylesheet draws its icons
# as data: SVG images. No inline script or style: the templates use static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
