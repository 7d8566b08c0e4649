"""Settings shared by every environment. The environment is read here and nowhere else."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    """Read one setting from the environment; a missing required setting stops start-up."""
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "true" if default else "false").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG")
# `manage.py demo` empties the database before it builds the demo borough: only where the settings say it may.
DEMO_MAY_EMPTY_DATABASE = False
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "simple_history",
    "core",
    "children",
    "providers",
    "placements",
    "terms",
    "attendance",
    "casework",
    "insight",
    "inspection",
    "survey",
    "demo",
    # Its system checks: that the rate limits' cache is shared by every worker and counts atomically.
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the static files, which may be cached: everything else holds or leads to children's data.
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.TwoFactorMiddleware",
    "core.middleware.InspectorMiddleware",
    "core.middleware.RefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.govuk"],
        },
    }
]
# GOV.UK form components are rendered from ordinary Django forms in one place.
FORM_RENDERER = "core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Foreign keys are on in every Django SQLite connection. WAL lets readers carry on while a writer commits; IMMEDIATE avoids
    # "database is locked" when two writers upgrade a read lock at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL's planner assumes spinning disks unless told otherwise (random_page_cost 4): on the SSDs and cached
    # tables a service runs on, an index lookup costs about what a sequential read does, and the dashboard's flags
    # choose index lookups over whole-table scans when told so (docs/decisions.md). JIT compilation off: it spends
    # 100-200 ms compiling the attendance percentages' aggregate, which runs in about as long (docs/decisions.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1 -c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Staff sign in with a password and a code from an authenticator app (core/two_factor.py).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "AP Oversight"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lock an account and address out after 5 failed sign-ins for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# The survey's public links take a bounded number of answers (survey/views.py) through
# django-ratelimit, which counts in a cache every worker shares: core.counters keeps the
# counts in the database, so there is no cache server to run. Behind a proxy, name the
# header carrying the client's address (for example X-Forwarded-For); otherwise it is
# REMOTE_ADDR.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counters": {"BACKEND": "core.counters.DatabaseCounterCache"},
}
RATELIMIT_USE_CACHE = "counters"
RATELIMIT_IP_META_KEY = "core.counters.client_ip"
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "")
# Answers one device may send to the survey's links, and answers one link takes from
# everyone together, in the period given ("10/h" is ten an hour).
SURVEY_RATE_PER_CLIENT = env("SURVEY_RATE_PER_CLIENT", "10/h")
SURVEY_RATE_PER_LINK = env("SURVEY_RATE_PER_LINK", "300/h")
# core.counters is not on django-ratelimit's list of backends it has tested.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# The service is in English; the stakeholder survey is also offered in these community
# languages (an area chooses at least three). Catalogues: locale/, compiled at install.
LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("ur", "Urdu"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded register files up to the upload limit are read in memory and kept in the
# database; the app keeps nothing on local disk between requests.
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
# An API call may carry a day's marks for a whole borough, about 7 MB of JSON for 100,000.
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024

# Where links in emails point; the address people use to reach the service.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ap-oversight@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))

# "Recently" in AP: how long after a placement ends a child stays on the register's recent view and
# on Annex A's lists of those who left (core.periods.recent_since).
RECENT_MONTHS = 6
REGISTER_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
