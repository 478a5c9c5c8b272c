"""Settings shared by every environment; each reads what differs from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

# The environment, read through environs: a value it cannot read (TSUNAGU_REQUIRE_2FA=maybe)
# stops the start with a message instead of silently meaning "off".
env = Env()


def _read(kind: str, name: str, *default):
    try:
        return getattr(env, kind)(name, *default)
    except EnvError as error:
        raise ImproperlyConfigured(
            f"環境変数 {name} の値「{os.environ.get(name, '')}」を読めません"
            f"({kind}; 例: true / false)。 {error}"
        ) from error


def flag(name: str, default: bool) -> bool:
    """A yes/no setting: true/false, 1/0, yes/no, on/off; anything else stops the start."""
    return _read("bool", name, default)


def integer(name: str, default: int) -> int:
    return _read("int", name, default)


def text(name: str, default: str = "") -> str:
    return _read("str", name, default)


BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(text("TSUNAGU_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "tsunagu.accounts.apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Our bounded contexts, lowest first: each may import only those above it.
    "tsunagu.core",
    "tsunagu.access",
    "tsunagu.accounts",
    "tsunagu.audit",
    "tsunagu.administration",
    "tsunagu.people",
    "tsunagu.cases",
    "tsunagu.resources",
    "tsunagu.plans",
    "tsunagu.watch",
    "tsunagu.family_support",
    "tsunagu.maternal",
    "tsunagu.demo",
]

# Background jobs (directory imports): django-tasks with its database backend, so a job
# survives a restart and needs no other server; `tsunagu db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tsunagu.core.middleware.RefuseControlCharactersMiddleware",
    "tsunagu.core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tsunagu.accounts.middleware.TwoFactorMiddleware",
    "tsunagu.access.middleware.AccessPolicyMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:top"

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
                "tsunagu.access.navigation.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'tsunagu.sqlite3'}"


def database_from(url: str) -> dict:
    """The database of a URL, with the options each engine needs here (persistent
    connections; SQLite in WAL mode; PostgreSQL without JIT or parallel workers)."""
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets pages read while another request writes (an access-log row on every view),
        # and an IMMEDIATE transaction takes the write lock at its start, so two writers wait
        # their turn instead of failing with "database is locked".
        database["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    if database["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiling pays off for long reports, not for pages of a few milliseconds: above
        # its cost threshold it added ~15 ms to a list that runs in 5. Parallel workers too:
        # starting two made a due list's 25 ms query take 36 (a report may SET them back).
        database.setdefault("OPTIONS", {})["options"] = (
            "-c jit=off -c max_parallel_workers_per_gather=0"
        )
    return database


DATABASES = {"default": database_from(text("DATABASE_URL") or _default_sqlite)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tsunagu" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The map's background tiles (default: 地理院タイル 標準地図). Empty: markers and boundaries on
# a blank background, with no request leaving the site (the tests run that way).
TSUNAGU_MAP_TILES = text(
    "TSUNAGU_MAP_TILES", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
)
TSUNAGU_MAP_ATTRIBUTION = text(
    "TSUNAGU_MAP_ATTRIBUTION",
    '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)
# The municipality whose directory the public finder shows (its code); empty: the first.
TSUNAGU_PUBLIC_MUNICIPALITY = text("TSUNAGU_PUBLIC_MUNICIPALITY")
# Directory entries not verified for this many months are listed for re-verification.
TSUNAGU_RESOURCE_REVERIFY_MONTHS = integer("TSUNAGU_RESOURCE_REVERIFY_MONTHS", 12)
# Office hours (開庁時間): an urgent alert's time to be acknowledged counts only these.
TSUNAGU_OFFICE_OPENS = text("TSUNAGU_OFFICE_OPENS", "08:30")
TSUNAGU_OFFICE_CLOSES = text("TSUNAGU_OFFICE_CLOSES", "17:15")

# Mail (alerts to staff): Django's backends; the console by default (the demo prints them),
# SMTP in production through TSUNAGU_EMAIL_BACKEND and EMAIL_HOST…
EMAIL_BACKEND = text("TSUNAGU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = text("EMAIL_HOST", "localhost")
EMAIL_PORT = integer("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = text("TSUNAGU_FROM_EMAIL", "tsunagu@localhost")
# The address of the site in mails (links to an alert).
TSUNAGU_SITE_URL = text("TSUNAGU_SITE_URL", "http://127.0.0.1:8000")


def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origin(TSUNAGU_MAP_TILES)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Lock-out: five failures for one user name from one address, for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "tsunagu"
# Whether staff roles must pass a TOTP second factor (on in production, off in the demo).
TSUNAGU_REQUIRE_2FA = False
# The Japanese font embedded in printed PDFs (受付票); Debian package fonts-ipaexfont-gothic.
TSUNAGU_PDF_FONT = text("TSUNAGU_PDF_FONT", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
# For characters that font lacks (𠮷 and other MJ kanji); Debian package fonts-ipamj-mincho.
TSUNAGU_PDF_FALLBACK_FONT = text(
    "TSUNAGU_PDF_FALLBACK_FONT", "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tsunagu.access.api.PolicyPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tsunagu API",
    "DESCRIPTION": "こども家庭センターと地域の協力団体のための API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema endpoint goes through the one policy like every other endpoint.
    "SERVE_PERMISSIONS": ["tsunagu.access.api.PolicyPermission"],
    # The report API's yes/no fields share one choice set ("1" / "0", as the form posts them).
    "ENUM_NAME_OVERRIDES": {"YesNoEnum": "tsunagu.watch.api.YES_NO"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
