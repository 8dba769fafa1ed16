"""Settings shared by every environment, read from the environment with django-environ."""

from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

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
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "dti_portal.apps.AxesConfig",
    "dti_portal.apps.PortalConfig",
    "indicators",
    "assignments",
    "reporting",
    "dti",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Next, so that every answer carries them, those of the middleware below too.
    "dti_portal.security.PortalCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dti_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dti_portal.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dti_portal.urls"
WSGI_APPLICATION = "dti_portal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "indicators.context_processors.institutions",
                "assignments.context_processors.portal_user",
                "reporting.context_processors.notifications",
            ],
        },
    },
]

# Django's form renderer with the plain widgets written in Python (dti_portal/forms.py).
FORM_RENDERER = "dti_portal.forms.PortalFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A worker keeps its connection between requests (a new PostgreSQL backend per
# request costs more than most pages), checked before each request reuses it; so the
# database sees one connection per gunicorn worker (gunicorn.conf.py) and Celery process.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that stops answering must not hang a request until gunicorn kills the
# worker: connecting gives up after DATABASE_CONNECT_TIMEOUT seconds (then a 503), and
# a statement after DATABASE_STATEMENT_TIMEOUT_MS (0: no limit). PostgreSQL only.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5),
            "options": f"-c statement_timeout={env.int('DATABASE_STATEMENT_TIMEOUT_MS', default=60000)}",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The dashboards and the DTI score are kept under keys made of what they read
# (dti_portal/caching.py), so any cache is correct and a shared one serves every
# worker: Redis in production (CACHE_URL=redis://redis:6379/1), else this process's
# memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English offered through the language switch.
LANGUAGE_CODE = "vi"
FORMAT_MODULE_PATH = ["dti_portal.formats"]
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Years must not read "2.024": numbers are formatted where shown (indicators.formatting).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end assets come from installed packages, served by the portal (no CDN):
# Bootstrap from XStatic-Bootstrap, htmx from django-htmx, Chart.js from npm.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    # Chart.js from npm (package.json, installed by `make install`).
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng DTI <dti@localhost>")

# Celery: with no broker configured, tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's, catching up a missed crontab job when beat starts (dti_portal/beat.py).
CELERY_BEAT_SCHEDULER = "dti_portal.beat:DatabaseScheduler"
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
# Celery's consumer, but one that survives a Redis restart while it holds a countdown.
CELERY_WORKER_CONSUMER = "dti_portal.celery:Consumer"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "dti_portal.api_schema.AutoSchema",
    # The token first: a request without credentials is a 401 that names its scheme.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dti_portal.authentication.TokenAuthentication",
        "dti_portal.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "dti_portal.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "dti_portal.api.exception_handler",
    # Bodies are JSON only: a form-encoded body is a 415, never a request read as empty.
    "DEFAULT_PARSER_CLASSES": ["dti_portal.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {"token": env("API_TOKEN_RATE", default="5/min")},
    # Answers with no content negotiation: JSON only (the browsable API would offer forms
    # the parsers refuse).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The client's address for rate limits, as for login throttling: X-Forwarded-For is
    # read only behind that many proxies of ours.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
}
# An API token is refused this many days after it was issued (and at a password change).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

SPECTACULAR_SETTINGS = {
    "TITLE": "DTI Portal API",
    "DESCRIPTION": "Cổng theo dõi Chỉ số chuyển đổi số: catalogue, reporting periods, submissions and their "
    "workflow, province figures. Authenticate with a session or `Authorization: Token <key>` "
    "(POST /api/v1/token/).",
    "VERSION": "1.0.0",
    # Swagger UI's assets are served by the portal (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dti_portal.api_schema.drop_titles",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStatusEnum": "reporting.choices.SubmissionStatus",
        "TaskStatusEnum": "reporting.choices.TaskStatus",
        "FigureStatusEnum": "reporting.choices.FigureStatus",
    },
}

# History pages are for reading: reverting a row from its history would bypass the
# services (and their checks and events).
SIMPLE_HISTORY_REVERT_DISABLED = True

# An import with any bad row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing needs the model's "add" permission, exporting its "view" permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

PORTAL_PAGE_SIZE = 25

# Sessions end after SESSION_COOKIE_AGE seconds without a request (renewed at most
# every SESSION_RENEW_AFTER seconds: dti_portal.middleware.IdleSessionMiddleware)
# and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_RENEW_AFTER = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords lock the account
# (from any address) and the address (for any account) for AXES_COOLOFF_TIME; a
# successful login clears that account's count. Pages, the admin and the API's token endpoint
# share it. Behind a reverse proxy set TRUSTED_PROXY_COUNT so the client's address is
# read from X-Forwarded-For (dti_portal.security.client_ip_address).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not axes' own reset: it would also delete the failures of other accounts from the
# same address, so logging in to one's own account would clear a guesser's count.
# dti_portal.security.forget_failures_at_login clears the user's own only.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "dti_portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dti_portal.security.client_ip_address"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content security policy (django-csp): every script, style, font and image comes from
# the portal itself; no inline script or style attribute, no framing, forms post only
# to the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The reporting calendar of a province whose plans state none (see reporting/calendar.py):
# quarterly due and compile days of the quarter's last month, yearly dates as "MM-DD".
REPORTING_DEFAULT_CALENDAR = {
    "quarterly_due_day": env.int("REPORTING_QUARTERLY_DUE_DAY", default=20),
    "quarterly_compile_day": env.int("REPORTING_QUARTERLY_COMPILE_DAY", default=25),
    "yearly_due": env("REPORTING_YEARLY_DUE", default="12-15"),
    "yearly_compile": env("REPORTING_YEARLY_COMPILE", default="12-20"),
}
# Evidence files: at most this many bytes each.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Zip-based uploads (indicators/archives.py): what an evidence document (kept, never
# unpacked here) and a spreadsheet the portal reads (the offline template, a framework
# table, an admin import) may expand to, how many entries they may hold, and how far
# an entry over 1 MB may be compressed.
EVIDENCE_MAX_UNZIPPED_BYTES = env.int("EVIDENCE_MAX_UNZIPPED_BYTES", default=100 * 1024 * 1024)
SPREADSHEET_MAX_UNZIPPED_BYTES = env.int("SPREADSHEET_MAX_UNZIPPED_BYTES", default=30 * 1024 * 1024)
UPLOAD_ZIP_MAX_ENTRIES = env.int("UPLOAD_ZIP_MAX_ENTRIES", default=2000)
# Rows read from a sheet of the offline template: past this the file is refused unread.
TEMPLATE_MAX_ROWS = env.int("TEMPLATE_MAX_ROWS", default=5000)
# The data rows an admin import (agencies, indicators, targets, ...) may have.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
# "Quên mật khẩu": requests an hour from one computer, and links an hour to one address.
PASSWORD_RESET_PER_IP = env.int("PASSWORD_RESET_PER_IP", default=10)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 60 * 60)
# The portal's address as users reach it, for links in emails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Approvals within this many seconds make one roll-up run of their period. It must
# stay below the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS).
ROLLUP_COALESCE_SECONDS = env.int("ROLLUP_COALESCE_SECONDS", default=60)
# Four eyes: whoever saved or submitted a report may not approve it, administrators
# included (off by default: a small DIC may have one officer).
REPORTING_FOUR_EYES = env.bool("REPORTING_FOUR_EYES", default=False)
# A roll-up run still "running" this long after it started lost its worker (longer than
# the task's 25-minute time limit); a period's roll-up is retried this many times in a
# row after failures before it waits for the DIC.
ROLLUP_LEASE_SECONDS = env.int("ROLLUP_LEASE_SECONDS", default=30 * 60)
ROLLUP_MAX_ATTEMPTS = env.int("ROLLUP_MAX_ATTEMPTS", default=3)
# An export still "running" this long after it started lost its worker (the task's
# limit is 35 minutes).
EXPORT_LEASE_SECONDS = env.int("EXPORT_LEASE_SECONDS", default=40 * 60)
# A province figure is judged (met, not met, on track, at risk) only when at least this
# share (%) of the reports it rests on is approved; below it, "chưa đủ số liệu để đánh giá".
ROLLUP_COVERAGE_THRESHOLD = env.int("ROLLUP_COVERAGE_THRESHOLD", default=50)
# Reminders (reporting/services/reminders.py): days before the due date, then every
# this many days once overdue.
REMINDER_DAYS_BEFORE = tuple(env.list("REMINDER_DAYS_BEFORE", cast=int, default=[7, 3, 1]))
REMINDER_OVERDUE_EVERY = env.int("REMINDER_OVERDUE_EVERY", default=3)
# A reminder claimed by a run and still unsent this long after is taken over by the next
# run (longer than the task's time limit and its retries' backoff).
REMINDER_CLAIM_SECONDS = env.int("REMINDER_CLAIM_SECONDS", default=30 * 60)
# The yearly ranking of agencies (reporting/ranking.py): weights of its three shares.
RANKING_WEIGHTS = {
    "targets": env.float("RANKING_WEIGHT_TARGETS", default=0.5),
    "timeliness": env.float("RANKING_WEIGHT_TIMELINESS", default=0.3),
    "tasks": env.float("RANKING_WEIGHT_TASKS", default=0.2),
}
# A ministry report with more agency values than this is written in the background.
EXPORT_SYNC_MAX_VALUES = env.int("EXPORT_SYNC_MAX_VALUES", default=20_000)
