"""Settings for the clinic intake and referral tool, read from the environment.

Every value has a safe local default so that `make run` works on a fresh machine (SQLite and a
filesystem Celery broker under var/); production sets DEBUG=false and the variables documented in
.env.example. A malformed value stops start-up with a message naming the variable (config/env.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

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
    # Second factor: django-otp's TOTP devices (authenticator apps) and static devices (the ten
    # single-use recovery codes). accounts/ drives them; see accounts/README.md.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The floors: accounts and audit at the bottom, then intake, then referrals (STYLE.md).
    "accounts",
    "audit",
    "intake",
    "referrals",
]

MIDDLEWARE = [
    # First, so it compresses what every other layer produced. Compressing in the app (not at the
    # proxy) works the same under runserver, gunicorn and whatever proxy a clinic puts in front,
    # and Django's GZipMiddleware pads each response with random bytes against BREACH (pages carry
    # CSRF tokens). WhiteNoise's pre-compressed static files already say Content-Encoding and pass.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files from gunicorn (one image, no separate file server).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed its second factor.
    "django_otp.middleware.OTPMiddleware",
    # A signed-in user who owes a second factor reaches only the verification/enrolment pages.
    "accounts.middleware.SecondFactorMiddleware",
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
# A kept connection the server dropped (restart, failover, pg_terminate_backend) is tested before
# the request uses it and replaced, instead of failing that request with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("CONN_HEALTH_CHECKS", True)

# Counters every process must share (the patient-link throttle): Redis when CACHE_URL names one,
# else files under VAR_DIR, which the web server's workers on one machine share (counted under a
# lock, config/cache.py). Never the per-process memory cache: with three workers a limit of 20
# let 60 through.
CACHE_URL = env_url("CACHE_URL", "", schemes=("redis", "rediss"))
# A dead or hung Redis must cost a request well under a second, never a worker: short timeouts
# and no reconnect retries (redis-py's default backoff took 2.2 s); callers degrade instead.
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    "retry": Retry(NoBackoff(), 0),
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
    if CACHE_URL
    else {
        "BACKEND": "config.cache.LockedFileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
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

# Second factor (TOTP): always for clinicians and administrators; for the front desk too when set.
TWO_FACTOR_FOR_FRONT_DESK = env_bool("TWO_FACTOR_FOR_FRONT_DESK", False)
# Each wrong code doubles the wait before the next is checked (1 s, 2 s, 4 s, ...), per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Staff invitations: the e-mailed link works once, for this many hours.
STAFF_INVITATION_HOURS = env_int("STAFF_INVITATION_HOURS", 72, minimum=1)
# Django's password reset link lasts this long (its default is three days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2, minimum=1) * 3600

# Login throttling: five failures for one username from one address lock it for the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client address: the socket's, or with TRUSTED_PROXY_COUNT proxies in front the address the
# outermost of them saw (X-Forwarded-For, counted from the right). One function reads it for the
# throttle, axes and the audit trail (audit/request.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "audit.request.client_ip"

# Staff sessions end after this many idle minutes; background polling does not count as activity.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 15, minimum=1)
# An absolute lifetime: fixed when the staff member signs in, never moved by later requests
# (config/middleware.py).
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
# No page needs a device feature; the camera is off too (the QR code is shown, never scanned).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
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
# Files browsers ask for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "public"
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
# The name authenticator apps show next to a staff member's codes.
OTP_TOTP_ISSUER = CLINIC_NAME
# The number a patient with a red flag is told to call (their emergency page, the form's pages).
EMERGENCY_NUMBER = env_str("EMERGENCY_NUMBER", "999")
LETTER_PAPER_SIZE = env_choice("LETTER_PAPER_SIZE", "A4", ("A4", "Letter"))

# Patient links.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
PATIENT_SESSION_HOURS = env_int("PATIENT_SESSION_HOURS", 4, minimum=1)
TOKEN_ATTEMPTS_PER_MINUTE = env_int("TOKEN_ATTEMPTS_PER_MINUTE", 20, minimum=1)
# A pre-visit form not submitted this many hours before the visit gets one reminder e-mail.
PRE_VISIT_REMINDER_HOURS = env_int("PRE_VISIT_REMINDER_HOURS", 48, minimum=1)

# The self-help loop: the handout and follow-up links, the check-in and its reminder.
SELF_HELP_LINK_VALID_DAYS = env_int("SELF_HELP_LINK_VALID_DAYS", 30, minimum=1)
FOLLOW_UP_WEEKS = env_int("FOLLOW_UP_WEEKS", 6, minimum=1)
FOLLOW_UP_REMINDER_DAYS = env_int("FOLLOW_UP_REMINDER_DAYS", 7, minimum=1)

# Red flags: every red-flag submission e-mails the on-call address(es) at once; an alert nobody
# acknowledges on the case page within RED_FLAG_ALERT_ACK_MINUTES is sent again, up to
# RED_FLAG_ALERT_MAX_SENDS sends in all.
ONCALL_ALERT_EMAILS = env_list("ONCALL_ALERT_EMAILS", [CLINIC_EMAIL])
if not ONCALL_ALERT_EMAILS:
    raise ImproperlyConfigured("ONCALL_ALERT_EMAILS must name at least one address.")
RED_FLAG_ALERT_ACK_MINUTES = env_int("RED_FLAG_ALERT_ACK_MINUTES", 30, minimum=1)
RED_FLAG_ALERT_MAX_SENDS = env_int("RED_FLAG_ALERT_MAX_SENDS", 3, minimum=1)

# Celery. Locally a filesystem broker under var/ (no server to install); in production Redis.
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    "filesystem://",
    schemes=("filesystem", "redis", "rediss", "amqp", "memory"),
)
BROKER_DIR = VAR_DIR / "broker"
# No result backend unless one is named: nothing in the app reads task results, and a Redis
# result backend put its reconnect loop on the request path (a sign took 19 s with Redis down).
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
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
# One row per periodic task: (task, the variable of its period in seconds, default); its beat
# entry is the task's name spelt with hyphens ("referrals-outbox-relay").
_BEAT_TASKS = (
    ("referrals.outbox_relay", "OUTBOX_RELAY_SECONDS", 10),
    ("referrals.letters_reconcile", "LETTERS_RECONCILE_SECONDS", 60),
    ("referrals.red_flag_alerts_resend", "RED_FLAG_ALERTS_RESEND_SECONDS", 60),
    # Follow-up links that are due and reminders: claimed row by row, sent through the outbox.
    ("referrals.patient_messages_due", "PATIENT_MESSAGES_SECONDS", 300),
)
CELERY_BEAT_SCHEDULE = {
    task.replace(".", "-").replace("_", "-"): {
        "task": task,
        "schedule": float(env_int(variable, default, minimum=1)),
    }
    for task, variable, default in _BEAT_TASKS
}

# Every line passes through the filter that masks patient-link tokens and drops query strings
# (staff search words) from the URLs it names (config/log_privacy.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private_urls": {"()": "config.log_privacy.PrivateUrlFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["private_urls"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO: seven lines per letter.
    "loggers": {
        # Django's own handlers (runserver's request lines, its DEBUG console) would bypass the
        # filter: both loggers write through ours instead.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
