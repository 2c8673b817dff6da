"""Settings for the clinic intake and referral tool, read from the environment.

Every value has a safe local default so that `make run` works on a fresh machine (SQLite and a
filesystem Celery broker under var/); production sets DEBUG=false and the variables documented in
.env.example. A malformed value stops start-up with a message naming the variable (config/env.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_required,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_required(
    "SECRET_KEY",
    default_when=DEBUG,
    default="local-development-only-key-never-used-when-debug-is-false-0123456789",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# Patients' links start with it. `make run` sets it to the address it serves when it is unset
# (scripts/run_local.py), so another PORT still gives links that open.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Forms render through crispy-forms (the Bootstrap 5 pack), whose field template the project
    # overrides (templates/bootstrap5/field.html) to draw every field with components/field.html.
    "crispy_forms",
    "crispy_bootstrap5",
    # The renderer (config/forms.py) draws forms with the project's templates and Django's own.
    "django.forms",
    "django_htmx",
    "axes",
    # The floors: accounts and audit at the bottom, then intake, then referrals (STYLE.md).
    "accounts",
    "audit",
    "intake",
    "referrals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files from gunicorn (one image, no separate file server).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout page.
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
                "config.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file: wait for a lock instead of failing.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: Argon2 first (OWASP's recommendation); the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one username from one address lock it for the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)

# Staff sessions end after this many idle minutes; background polling does not count as activity.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 15, minimum=1)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Outside DEBUG every cookie is HTTPS-only and HTTP is redirected. HTTPS=false exists only for a
# local trial of the production image without a TLS proxy in front (see docker-compose.yml).
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One policy for every page: only the app's own scripts, styles and images (data: for QR codes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Locally WhiteNoise serves straight from the app folders; in the image from collectstatic's output.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Letters and handouts: outside every public URL, served only through the checked download view.
PRIVATE_STORAGE_DIR = Path(env_str("PRIVATE_STORAGE_DIR", str(VAR_DIR / "private")))
# When web servers and workers run on different machines they cannot share that directory: with
# LETTERS_S3_BUCKET set, letters go to S3-compatible object storage instead (django-storages),
# private objects under the same random names, read back only by the download view (never a
# public or signed URL handed out; the signature below only guards a stray .url() call).
LETTERS_S3_BUCKET = env_str("LETTERS_S3_BUCKET", "")
if LETTERS_S3_BUCKET:
    STORAGES["letters"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": LETTERS_S3_BUCKET,
            "endpoint_url": env_url("LETTERS_S3_ENDPOINT_URL", "", schemes=("http", "https"))
            or None,
            "region_name": env_str("LETTERS_S3_REGION", "") or None,
            "access_key": env_str("LETTERS_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("LETTERS_S3_SECRET_ACCESS_KEY", "") or None,
            "addressing_style": env_choice(
                "LETTERS_S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")
            ),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }

# Every field is drawn by templates/components/field.html, with its label, help, errors and aria:
# crispy-forms reaches it through the pack's field template, which the project overrides
# (templates/bootstrap5/field.html); the renderer's bound field gives each input its Bootstrap
# class, aria-invalid and aria-describedby (config/forms.py).
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "config.forms.FormRenderer"

# E-mail: written to files under var/mail/ locally (one .log file per message: not the console,
# where patient links and base64 PDFs would fill the worker's log); SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clinic@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The clinic, for letterheads, patient pages and e-mails.
CLINIC_NAME = env_str("CLINIC_NAME", "Riverside Sports Medicine Clinic")
CLINIC_ADDRESS = env_str("CLINIC_ADDRESS", "1 River Road, Riverside RS1 2AB")
CLINIC_PHONE = env_str("CLINIC_PHONE", "020 7946 0000")
CLINIC_EMAIL = env_str("CLINIC_EMAIL", DEFAULT_FROM_EMAIL)
LETTER_PAPER_SIZE = env_choice("LETTER_PAPER_SIZE", "A4", ("A4", "Letter"))

# Patient links.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
PATIENT_SESSION_HOURS = env_int("PATIENT_SESSION_HOURS", 4, minimum=1)
TOKEN_ATTEMPTS_PER_MINUTE = env_int("TOKEN_ATTEMPTS_PER_MINUTE", 20, minimum=1)

# Celery. Locally a filesystem broker under var/ (no server to install); in production Redis.
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    "filesystem://",
    schemes=("filesystem", "redis", "rediss", "amqp", "memory"),
)
BROKER_DIR = VAR_DIR / "broker"
CELERY_RESULT_BACKEND = env_str(
    "CELERY_RESULT_BACKEND",
    CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith("redis")
    else f"file://{VAR_DIR / 'celery-results'}",
)
# Hard limit for one letter render; the broker's visibility timeout must exceed it or Redis
# redelivers a task that is still running (checked in config/celery_app.py at start-up).
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=1)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT must be lower than CELERY_TASK_TIME_LIMIT."
    )
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 1000, minimum=1)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", 400_000, minimum=50_000
)
# Celery beat: the outbox relay publishes tasks whose publish-after-commit failed (broker down);
# the reconciliation re-queues letters whose render was lost (worker died, message gone).
CELERY_BEAT_SCHEDULE = {
    "referrals-outbox-relay": {
        "task": "referrals.outbox_relay",
        "schedule": float(env_int("OUTBOX_RELAY_SECONDS", 10, minimum=1)),
    },
    "referrals-letters-reconcile": {
        "task": "referrals.letters_reconcile",
        "schedule": float(env_int("LETTERS_RECONCILE_SECONDS", 60, minimum=1)),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO: seven lines per letter.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
