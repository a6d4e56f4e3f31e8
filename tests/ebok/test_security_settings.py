import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "ebok.example.pl",
    "DATABASE_URL": "postgres://ebok:secret@127.0.0.1:5432/ebok",
    "EMAIL_HOST": "smtp.example.pl",
    "RECAPTCHA_PUBLIC_KEY": "6Lc-production-public-key-for-the-check-only",
    "RECAPTCHA_PRIVATE_KEY": "6Lc-production-private-key-for-the-check-only",
    # PayU's production POS (onlinepay.W001 warns without it).
    "EBOK_PAYU_POS_ID": "145227",
    "EBOK_PAYU_CLIENT_ID": "145227",
    "EBOK_PAYU_CLIENT_SECRET": "12f071174cb7eb79d4aac5bc2f07563f",
    "EBOK_PAYU_SECOND_KEY": "13a980d4f851f3d9a1cfc792fb1f5e50",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A bare production environment: nothing the test run itself set (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    inherited = ("EBOK_TESTING", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def _in_production(code: str) -> dict:
    """Run ``code`` (which prints one JSON object last) in a process with the production environment.

    REDIS_URL is set as production sets it; nothing the code does connects to it.
    """
    import json

    result = _manage("shell", "-c", code, env={**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_with_a_full_production_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_a_disabled_captcha_in_production():
    env = {**PRODUCTION_ENV, "RECAPTCHA_DISABLED": "1"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    env["SECRET_KEY"] = ""
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_are_the_safe_ones():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'redirect': s.SECURE_SSL_REDIRECT,"
        "'proxy': s.SECURE_PROXY_SSL_HEADER, 'session_secure': s.SESSION_COOKIE_SECURE,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'storage': s.STORAGES['staticfiles']['BACKEND'],"
        "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], 'cache': s.CACHES['default']['BACKEND'],"
        "'session': s.SESSION_ENGINE}))"
    )
    values = _in_production(code)
    assert values["hsts"] >= 31_536_000
    assert values["sub"] is True
    assert values["redirect"] is True
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["session_secure"] is True
    assert values["csrf_secure"] is True
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["conn_max_age"] == 60
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["session"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_cache_is_the_database_shared_by_all_processes():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_templates_are_cached_between_requests():
    loaders = engines["django"].engine.loaders
    assert loaders[0][0] == "django.template.loaders.cached.Loader"


def test_responses_in_production_carry_the_security_headers():
    # A request through the whole middleware stack as production configures it (its own process);
    # the start page sends an anonymous visitor to log in, touching neither database nor Redis.
    code = (
        "import json; from django.test import Client;"
        "r = Client().get('/pulpit/', secure=True, headers={'host': 'ebok.example.pl'});"
        "print(json.dumps({'status': r.status_code, **r.headers}))"
    )
    headers = _in_production(code)
    assert headers["status"] == 302, headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_production_refuses_a_short_secret_key():
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "x7" * 20})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "50" in result.stderr


def test_production_refuses_a_secret_key_of_few_distinct_characters():
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "abcd" * 20})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "5" in result.stderr


def test_production_language_cookie_is_secure_and_same_site():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'secure': s.LANGUAGE_COOKIE_SECURE, 'samesite': s.LANGUAGE_COOKIE_SAMESITE}))"
    )
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {"secure": True, "samesite": "Lax"}
