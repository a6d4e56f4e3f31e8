"""Settings for eBOK: one module, every knob read from the environment.

A fresh checkout runs with no configuration (DEBUG on, SQLite, console e-mail).
With DEBUG off, start-up refuses to go on without a SECRET_KEY and ALLOWED_HOSTS.
Every variable is documented in ``.env.example``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ebok.env import env_bool, env_database, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or env_bool("EBOK_TESTING", False)

DEBUG = env_bool("DEBUG", not TESTING)

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not DEBUG and not TESTING:
    missing = [name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off, so {' and '.join(missing)} must be set in the environment (see .env.example)."
        )
    # Django's own rule for a weak key (check --deploy's security.W009), enforced at start-up.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DEBUG is off, so SECRET_KEY must be at least 50 characters long with at least 5 distinct "
            "characters (see .env.example)."
        )
if not SECRET_KEY:
    # Only reachable with DEBUG on or under tests: a fixed, obviously unsafe key.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
if not ALLOWED_HOSTS and (DEBUG or TESTING):
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, requiring a verified TOTP device (ebok.admin_site).
    "ebok.apps.EbokAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_recaptcha",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Lets the form renderer find Django's widget templates through TEMPLATES (see FORM_RENDERER).
    "django.forms",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Customers' one-time backup codes for two-factor authentication (accounts.views_2fa).
    "django_otp.plugins.otp_static",
    "ebok",
    "billing",
    "meters",
    "accounts",
    "cases",
    "notices",
    # Interruptions of heat supply (planned and unplanned) and their notices.
    "outages",
    # Requests ("Dyspozycje i wnioski"): typed forms filed as cases.
    "heat",
    "portal",
    # Online payments through PayU (django-payments' model and callback URL, our PayU provider).
    "onlinepay",
    # The exchange with the billing system: the import, the demo export, the exports back.
    "exchange",
]

MIDDLEWARE = [
    # The request log first: it times everything and sees every status.
    "ebok.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CSP beside the security headers.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body, the session or the path: size limits, NUL bytes, no-store.
    "ebok.middleware.RequestBodyLimitMiddleware",
    "ebok.middleware.RejectNulMiddleware",
    "ebok.middleware.NoStoreForSessionsMiddleware",
    # The chosen customer in the path (/odbiorca/<number>/…): stripped before anything resolves
    # the URL, and carried by every reverse() of the request.
    "ebok.middleware.CustomerInPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ebok.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # OTP right after authentication.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.absolute_session_limit",
    # The database-outage guard innermost, so it catches view errors.
    "ebok.middleware.DatabaseUnavailableMiddleware",
    # AxesMiddleware must be last: it turns lockouts into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ebok.urls"
WSGI_APPLICATION = "ebok.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", "sqlite:///db.sqlite3", BASE_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Which logins reach which customers, with a role (ebok.access reads it by name, as Django reads
# AUTH_USER_MODEL: ebok imports no app).
EBOK_ACCESS_MODEL = "accounts.CustomerAccess"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; the request's user arrives with their Customer in one query.
    "accounts.backends.UserWithCustomerBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow by design; the suite hashes hundreds of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 6)  # the validators are in the accounts block below
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lockout after failed logins, counted in the database (shared by all processes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English")), ("uk", _("Ukrainian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Private files (invoice PDFs, attachments, photos): never under STATIC or a served MEDIA URL;
# they reach a browser only through views that check ownership.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(BASE_DIR / "private")))
MEDIA_ROOT = PRIVATE_ROOT

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console with DEBUG and no SMTP host, so `make run` shows the links.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
# SMTP through ebok.mail_backends.SigningEmailBackend: Django's SMTP backend that adds a DKIM
# signature when EBOK_DKIM_* below are set (docs/deployment.md).
if EMAIL_HOST or not DEBUG:
    EMAIL_BACKEND = "ebok.mail_backends.SigningEmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# DKIM: the selector and domain of the DNS record <selector>._domainkey.<domain>, and the PEM
# file of its private key (readable by the mail worker only). All three, or none.
EBOK_DKIM_SELECTOR = env_str("EBOK_DKIM_SELECTOR", "")
EBOK_DKIM_DOMAIN = env_str("EBOK_DKIM_DOMAIN", "")
EBOK_DKIM_KEY_FILE = env_str("EBOK_DKIM_KEY_FILE", "")
if len({bool(EBOK_DKIM_SELECTOR), bool(EBOK_DKIM_DOMAIN), bool(EBOK_DKIM_KEY_FILE)}) > 1:
    raise ImproperlyConfigured("Set EBOK_DKIM_SELECTOR, EBOK_DKIM_DOMAIN and EBOK_DKIM_KEY_FILE together, or none.")
# Mail workers `manage.py send_queued_mail` starts (processes), and the messages all of them
# together hand to SMTP per minute (0: no limit), as the provider allows.
EBOK_MAIL_WORKERS = env_int("EBOK_MAIL_WORKERS", 1)
EBOK_MAIL_RATE_PER_MINUTE = env_int("EBOK_MAIL_RATE_PER_MINUTE", 0)
if EBOK_MAIL_WORKERS < 1 or EBOK_MAIL_RATE_PER_MINUTE < 0:
    raise ImproperlyConfigured("EBOK_MAIL_WORKERS must be at least 1, EBOK_MAIL_RATE_PER_MINUTE at least 0.")
# The https link of List-Unsubscribe is always there on optional notices; a mailto: address
# beside it (RFC 2369) only when this is set, e.g. wypisz@mpec.example.pl handled by staff.
EBOK_UNSUBSCRIBE_MAILTO = env_str("EBOK_UNSUBSCRIBE_MAILTO", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "eBOK <ebok@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work other than mail: django-tasks with its database backend, run by `manage.py
# db_worker`. Mail has its own queue, the outbox rows, sent by `manage.py send_queued_mail`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Bodies of sent (or given-up) e-mails are erased after this many days by `purge_mail_bodies`;
# the outbox keeps who got what and when. Bodies with a live link go as soon as they are sent.
EBOK_MAIL_BODY_DAYS = env_int("EBOK_MAIL_BODY_DAYS", 30)
if EBOK_MAIL_BODY_DAYS < 1:
    raise ImproperlyConfigured("EBOK_MAIL_BODY_DAYS must be at least 1.")

# reCAPTCHA v2 ("Nie jestem robotem"). RECAPTCHA_DISABLED is for offline development only;
# a system check refuses it with DEBUG off.
RECAPTCHA_PUBLIC_KEY = env_str("RECAPTCHA_PUBLIC_KEY", "")
RECAPTCHA_PRIVATE_KEY = env_str("RECAPTCHA_PRIVATE_KEY", "")
RECAPTCHA_DISABLED = env_bool("RECAPTCHA_DISABLED", not (RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY))
if RECAPTCHA_DISABLED or not RECAPTCHA_PUBLIC_KEY:
    # django-recaptcha's published test keys; they never reach Google while the CAPTCHA is off.
    RECAPTCHA_PUBLIC_KEY = RECAPTCHA_PUBLIC_KEY or "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
    RECAPTCHA_PRIVATE_KEY = RECAPTCHA_PRIVATE_KEY or "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"
SILENCED_SYSTEM_CHECKS = ["django_recaptcha.recaptcha_test_key_error"]

# The utility: shown in headers, e-mails and the payment (transfer and QR) data.
EBOK_UTILITY_NAME = env_str("EBOK_UTILITY_NAME", "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o.")
EBOK_UTILITY_SHORT_NAME = env_str("EBOK_UTILITY_SHORT_NAME", "MPEC")
EBOK_UTILITY_NIP = env_str("EBOK_UTILITY_NIP", "8170004774")
EBOK_UTILITY_ADDRESS = env_str("EBOK_UTILITY_ADDRESS", "ul. Ciepłownicza 1, 39-300 Mielec")
EBOK_UTILITY_PHONE = env_str("EBOK_UTILITY_PHONE", "+48 17 000 00 00")
EBOK_UTILITY_EMAIL = env_str("EBOK_UTILITY_EMAIL", "bok@example.pl")
# "Deklaracja dostępności" (the accessibility statement the digital accessibility act of 4 April
# 2019 requires): when it was published and last reviewed, and whom to ask about accessibility.
EBOK_ACCESSIBILITY_PUBLISHED = env_date("EBOK_ACCESSIBILITY_PUBLISHED", "2026-11-24")
EBOK_ACCESSIBILITY_UPDATED = env_date("EBOK_ACCESSIBILITY_UPDATED", EBOK_ACCESSIBILITY_PUBLISHED.isoformat())
EBOK_ACCESSIBILITY_CONTACT = env_str("EBOK_ACCESSIBILITY_CONTACT", "Biuro Obsługi Klienta")
EBOK_ACCESSIBILITY_EMAIL = env_str("EBOK_ACCESSIBILITY_EMAIL", EBOK_UTILITY_EMAIL)
EBOK_ACCESSIBILITY_PHONE = env_str("EBOK_ACCESSIBILITY_PHONE", EBOK_UTILITY_PHONE)
# The heating emergency line (pogotowie ciepłownicze), shown where a customer might report a failure.
EBOK_UTILITY_EMERGENCY_PHONE = env_str("EBOK_UTILITY_EMERGENCY_PHONE", "993")
# The quality standards for interruptions of heat supply: beyond them the customer's point page
# offers a compensation request (bonifikata). Planned breaks last at most this many days and are
# announced at least this many days ahead; an unplanned one is fixed within this many hours.
EBOK_OUTAGE_PLANNED_MAX_DAYS = env_int("EBOK_OUTAGE_PLANNED_MAX_DAYS", 14)
EBOK_OUTAGE_PLANNED_NOTICE_DAYS = env_int("EBOK_OUTAGE_PLANNED_NOTICE_DAYS", 7)
EBOK_OUTAGE_UNPLANNED_MAX_HOURS = env_int("EBOK_OUTAGE_UNPLANNED_MAX_HOURS", 24)
# For how many days after its end an interruption beyond the standards still offers the request.
EBOK_OUTAGE_COMPENSATION_DAYS = env_int("EBOK_OUTAGE_COMPENSATION_DAYS", 60)
# The case type of a compensation request (a name from Typy spraw in the admin).
EBOK_OUTAGE_COMPENSATION_CASE_TYPE = env_str("EBOK_OUTAGE_COMPENSATION_CASE_TYPE", "Reklamacja")
if min(EBOK_OUTAGE_PLANNED_MAX_DAYS, EBOK_OUTAGE_PLANNED_NOTICE_DAYS, EBOK_OUTAGE_UNPLANNED_MAX_HOURS) < 1:
    raise ImproperlyConfigured(
        "EBOK_OUTAGE_PLANNED_MAX_DAYS, _PLANNED_NOTICE_DAYS and _UNPLANNED_MAX_HOURS must be at least 1."
    )
# The longest a customer waits for the answer to a case, in days, as the new-case form says.
EBOK_CASE_ANSWER_DAYS = env_int("EBOK_CASE_ANSWER_DAYS", 14)
EBOK_SITE_URL = env_str("EBOK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# Functions (dotted paths) `manage.py load_demo` calls after importing the demo export, so each
# app can add its own demo data (cases, accounts) without billing knowing about it. Each must be
# idempotent.
EBOK_DEMO_SEEDERS = [
    "accounts.demo.registration_hint",
    "cases.demo.seed",
    "notices.demo.seed",
    "outages.demo.seed",
    "heat.demo.seed",
    # A property manager reaching three demo customers in three roles (after the others exist).
    "accounts.demo.manager",
]
# Folders under PRIVATE_ROOT → the "app.Model.field" columns naming their files.
# `manage.py purge_orphan_files` deletes what none of them names.
EBOK_PRIVATE_FILES = {
    "self-readings": ["meters.SelfReading.photo"],
    "documents": ["billing.Document.pdf", "billing.OtherDocument.pdf"],
    "cases": ["cases.Attachment.path"],
}

# --- accounts ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "accounts.validators.UppercaseValidator"},
    {"NAME": "accounts.validators.LowercaseValidator"},
    {"NAME": "accounts.validators.DigitValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
]
# Failed registration checks (and password-reset requests) allowed per hour: per customer number
# from one client IP (tight), per customer number from anywhere (loose, so a third party cannot
# lock the real customer out) and per client IP across numbers; counted in the database so every
# process shares them.
EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP = env_int("EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP", 5)
EBOK_REGISTRATION_LIMIT_PER_NUMBER = env_int("EBOK_REGISTRATION_LIMIT_PER_NUMBER", 50)
EBOK_REGISTRATION_LIMIT_PER_IP = env_int("EBOK_REGISTRATION_LIMIT_PER_IP", 20)
EBOK_RESET_LIMIT_PER_NUMBER_AND_IP = env_int("EBOK_RESET_LIMIT_PER_NUMBER_AND_IP", 5)
EBOK_RESET_LIMIT_PER_NUMBER = env_int("EBOK_RESET_LIMIT_PER_NUMBER", 20)
EBOK_RESET_LIMIT_PER_IP = env_int("EBOK_RESET_LIMIT_PER_IP", 20)
# Failed logins from one client IP across all customer numbers (axes counts per number and IP).
EBOK_LOGIN_LIMIT_PER_IP = env_int("EBOK_LOGIN_LIMIT_PER_IP", 30)
EBOK_ATTEMPT_WINDOW_MINUTES = env_int("EBOK_ATTEMPT_WINDOW_MINUTES", 60)
# Lifetimes of the e-mailed single-use links, and of never-finished registrations.
EBOK_SET_PASSWORD_LINK_HOURS = env_int("EBOK_SET_PASSWORD_LINK_HOURS", 48)
EBOK_RESET_LINK_MINUTES = env_int("EBOK_RESET_LINK_MINUTES", 60)
EBOK_CHANGE_EMAIL_LINK_HOURS = env_int("EBOK_CHANGE_EMAIL_LINK_HOURS", 24)
EBOK_PENDING_REGISTRATION_DAYS = env_int("EBOK_PENDING_REGISTRATION_DAYS", 7)
# How long the records that hold client IP addresses stay (manage.py purge_account_history, daily):
# the throttling attempts (registration, reset, failed logins; staff read them in the admin) and
# the customers' own login history ("Ostatnie logowania"). Both are personal data; the limits
# above count over an hour and the registration notice over a day, so a few days is the least.
EBOK_ATTEMPT_DAYS = env_int("EBOK_ATTEMPT_DAYS", 90)
EBOK_LOGIN_HISTORY_DAYS = env_int("EBOK_LOGIN_HISTORY_DAYS", 365)
if min(EBOK_ATTEMPT_DAYS, EBOK_LOGIN_HISTORY_DAYS) < 2:
    raise ImproperlyConfigured("EBOK_ATTEMPT_DAYS and EBOK_LOGIN_HISTORY_DAYS must be at least 2.")
# What registration asks as proof (docs/deployment.md, "Security model", gives the bits of guessing
# of each): "invoice" = the number of one of the two latest invoices (tenants: the gross amount of
# the latest settlement); "invoice+amount" = that document's number and its gross amount, for all.
EBOK_REGISTRATION_PROOF = env_str("EBOK_REGISTRATION_PROOF", "invoice")
if EBOK_REGISTRATION_PROOF not in ("invoice", "invoice+amount"):
    raise ImproperlyConfigured(
        f"EBOK_REGISTRATION_PROOF must be invoice or invoice+amount; got {EBOK_REGISTRATION_PROOF!r}"
    )
# How long the "to nie ja" link sent to billing's e-mail on file (a registration or a login
# address change to another address) stays usable.
EBOK_NOT_ME_LINK_DAYS = env_int("EBOK_NOT_ME_LINK_DAYS", 30)
# Versions of the terms ("regulamin") and privacy notice in force; each version is a template
# templates/accounts/legal/<kind>-<version>.html, so older versions stay readable and every
# consent records the version it was given for.
EBOK_TERMS_VERSION = env_str("EBOK_TERMS_VERSION", "2026-11")
EBOK_PRIVACY_VERSION = env_str("EBOK_PRIVACY_VERSION", "2026-11")
# Sessions: a new one at login, ended after EBOK_SESSION_IDLE_MINUTES without a request and
# after EBOK_SESSION_ABSOLUTE_HOURS in any case.
SESSION_COOKIE_AGE = env_int("EBOK_SESSION_IDLE_MINUTES", 30) * 60
# The idle expiry is renewed at most once a minute (accounts.middleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
EBOK_SESSION_REFRESH_SECONDS = 60
EBOK_SESSION_ABSOLUTE_SECONDS = env_int("EBOK_SESSION_ABSOLUTE_HOURS", 8) * 3600
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# A customer number and the e-mail address that signs in as it share one lockout.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = env_int("RECAPTCHA_VERIFY_REQUEST_TIMEOUT", 5)
# --- production and security ---
# "Production" is DEBUG off outside the test suite: the defaults below are then the safe ones,
# each still overridable from the environment (e.g. SECURE_SSL_REDIRECT=0 behind a TLS-terminating
# load balancer that already redirects).
PRODUCTION = not DEBUG and not TESTING

# How many proxies (nginx, a load balancer) append to X-Forwarded-For in front of gunicorn; the
# client address for axes and the audit log is taken that many entries from the right. 0 = REMOTE_ADDR.
EBOK_PROXY_COUNT = env_int("EBOK_PROXY_COUNT", 0)

# HTTPS: nginx terminates TLS and sets X-Forwarded-Proto (docs/deployment.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
if env_bool("SECURE_PROXY_SSL_HEADER", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads the token: forms carry it
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The footer's language switch sets it; nothing secret, but no reason to send it over plain HTTP.
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", PRODUCTION)
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Request bodies, checked by Content-Length before they are read (ebok.middleware): the same
# limits as nginx's client_max_body_size in docs/deployment.md, so they hold without nginx too.
EBOK_REQUEST_BODY_DEFAULT_LIMIT = 1 * 1024 * 1024  # ordinary forms
EBOK_REQUEST_BODY_LIMITS = [
    (r"^/sprawy/(nowa|[0-9]+)/$", 55 * 1024 * 1024),  # a case or reply: 5 attachments of 10 MB
    (r"^/admin/cases/case/[0-9]+/change/$", 55 * 1024 * 1024),  # staff reply with attachments
    (r"^/przerwy/[0-9]+/bonifikata/[^/]+/$", 55 * 1024 * 1024),  # a compensation request: a case form
    (r"^/liczniki/[^/]+/podaj-odczyt/$", 6 * 1024 * 1024),  # a self-reading with a 5 MB photo
]

# Content-Security-Policy without 'unsafe-inline'. Views that show the reCAPTCHA widen it with
# @ebok.security.csp_recaptcha (Google's hosts plus a per-request nonce for its script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Widgets render through TEMPLATES (so templates/django_recaptcha/ overrides apply) and see the
# request's CSP nonce.
FORM_RENDERER = "ebok.security.NonceFormRenderer"

# Sessions and cache shared by every process: Redis when REDIS_URL is set, else the database
# (`manage.py createcachetable` creates its table; `make run` and the deploy steps run it).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ebok_cache"}}
# Sessions live in the database either way; Redis in front saves the read on every request.
# With the database cache a cached_db session would be written twice to the same database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# Two-factor authentication (TOTP) for the admin.
OTP_TOTP_ISSUER = f"eBOK {EBOK_UTILITY_SHORT_NAME}"

# Private files: with nginx in front, set the internal location prefix (e.g. /_private/) and
# ebok.files answers with X-Accel-Redirect instead of streaming the file through Python.
EBOK_X_ACCEL_REDIRECT_PREFIX = env_str("EBOK_X_ACCEL_REDIRECT_PREFIX", "")

# Logs: one line per request (ebok.request) with a request id on every line; LOG_FORMAT=json for
# one JSON object per line (log shippers), else plain text.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json; got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ebok.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "ebok.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "ebok.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Our request line replaces Django's own "Not Found"/"Bad Request" warnings.
        "django.request": {"level": "ERROR"},
    },
}
CSRF_FAILURE_VIEW = "ebok.errors.csrf_failure"
# --- customer pages (billing, meters) ---
# A self-reading is refused as implausible when the consumption since the last reading exceeds
# this multiple of the largest monthly consumption so far.
EBOK_SELF_READING_MAX_MULTIPLE = env_int("EBOK_SELF_READING_MAX_MULTIPLE", 3)
if EBOK_SELF_READING_MAX_MULTIPLE < 1:
    raise ImproperlyConfigured("EBOK_SELF_READING_MAX_MULTIPLE must be at least 1.")
# --- cases ---
# Where "a new case" notices for staff go (a shared customer-service mailbox).
EBOK_CASES_STAFF_EMAIL = env_str("EBOK_CASES_STAFF_EMAIL", EBOK_UTILITY_EMAIL)
# --- exchange with the billing system (the import, the demo export, the exports back) ---
# Rows per INSERT batch of `import_billing` when its staging table is not fed by COPY.
BILLING_IMPORT_BATCH_SIZE = env_int("BILLING_IMPORT_BATCH_SIZE", 2000)
# On PostgreSQL, feed the import's staging table (exchange/import_sql.py) with one COPY per file
# while the file is read. Off: INSERT batches, as on other databases.
BILLING_IMPORT_COPY = env_bool("BILLING_IMPORT_COPY", True)
# --- notices (new documents, e-invoices, payment reminders) ---
# E-invoice customers get the PDFs attached while the e-mail's attachments stay within this many
# bytes (mail servers refuse large messages); the rest are links to the portal.
EBOK_EINVOICE_MAX_ATTACHMENT_BYTES = env_int("EBOK_EINVOICE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
# Customers per transaction when notices go out in bulk (a fixed number of queries each).
EBOK_NOTICE_BATCH_SIZE = env_int("EBOK_NOTICE_BATCH_SIZE", 500)
# Payment reminders: a document overdue by at least this many days is reminded ...
EBOK_REMINDER_OVERDUE_DAYS = env_int("EBOK_REMINDER_OVERDUE_DAYS", 7)
# ... and again at most once per this many days.
EBOK_REMINDER_REPEAT_DAYS = env_int("EBOK_REMINDER_REPEAT_DAYS", 14)
if EBOK_REMINDER_OVERDUE_DAYS < 1 or EBOK_REMINDER_REPEAT_DAYS < 1 or EBOK_NOTICE_BATCH_SIZE < 1:
    raise ImproperlyConfigured("EBOK_REMINDER_*_DAYS and EBOK_NOTICE_BATCH_SIZE must be at least 1.")
if EBOK_EINVOICE_MAX_ATTACHMENT_BYTES < 0:
    raise ImproperlyConfigured("EBOK_EINVOICE_MAX_ATTACHMENT_BYTES must not be negative.")
# --- online payments (onlinepay; docs/online-payments.md) ---
# PayU's POS and its OAuth client, from the PayU panel ("Moje sklepy" → POS → "Klucze konfiguracji").
EBOK_PAYU_POS_ID = env_str("EBOK_PAYU_POS_ID", "")
EBOK_PAYU_CLIENT_ID = env_str("EBOK_PAYU_CLIENT_ID", "")
EBOK_PAYU_CLIENT_SECRET = env_str("EBOK_PAYU_CLIENT_SECRET", "")
# The "second key" (MD5) that signs PayU's notifications.
EBOK_PAYU_SECOND_KEY = env_str("EBOK_PAYU_SECOND_KEY", "")
# PayU's sandbox (secure.snd.payu.com) instead of production (secure.payu.com).
EBOK_PAYU_SANDBOX = env_bool("EBOK_PAYU_SANDBOX", False)
# Another base URL for PayU's API (a local fake gateway in tests); empty: sandbox or production.
EBOK_PAYU_URL = env_str("EBOK_PAYU_URL", "")
# Seconds to wait for PayU before telling the customer the gateway does not answer.
EBOK_PAYU_TIMEOUT = env_int("EBOK_PAYU_TIMEOUT", 10)
# Minutes a started payment stays open (PayU's order validityTime): until then a second start for
# any of its documents leads back to the same gateway page instead of creating a second order.
EBOK_ONLINEPAY_OPEN_MINUTES = env_int("EBOK_ONLINEPAY_OPEN_MINUTES", 30)
# Without PayU's keys and with DEBUG on (`make run`), pay through django-payments' dummy provider.
EBOK_ONLINEPAY_DEMO = env_bool("EBOK_ONLINEPAY_DEMO", DEBUG)
# django-payments: our model, and the provider chosen from the settings above at each call.
PAYMENT_MODEL = "onlinepay.OnlinePayment"
# Payment reminders (notices) link to paying their documents online through this function (a dotted
# path, as notices sits below onlinepay and does not import it), called with the customer number and
# the document numbers (the link names the customer); it returns None with no gateway.
EBOK_REMINDER_PAY_LINK = "onlinepay.links.reminder_pay_url"
# ...and skip the documents this function names (paid online, not yet booked; or waiting for the bank).
EBOK_REMINDER_SKIP_DOCUMENTS = "onlinepay.links.documents_being_paid"
PAYMENT_VARIANT_FACTORY = "onlinepay.variants.provider_factory"
PAYMENT_VARIANTS = {"payu": ("onlinepay.payu.PayuProvider", {}), "dummy": ("payments.dummy.DummyProvider", {})}
PAYMENT_HOST = EBOK_SITE_URL.split("://", 1)[-1]
PAYMENT_USES_SSL = EBOK_SITE_URL.startswith("https://")

# --- customer two-factor authentication ---
# After a correct password, how long the "Kod weryfikacyjny" step waits for the code, and how
# many wrong codes end it (each also counts toward the axes lockout of the number and IP).
EBOK_2FA_PENDING_SECONDS = env_int("EBOK_2FA_PENDING_SECONDS", 300)
EBOK_2FA_MAX_CODE_FAILURES = env_int("EBOK_2FA_MAX_CODE_FAILURES", 5)
EBOK_2FA_BACKUP_CODES = 10
# Axes logs and keeps the POST of failed logins: mask the code too (its defaults plus "code").
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
