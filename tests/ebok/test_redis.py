"""The portal with its cache and sessions in Redis, as several app hosts run it (REDIS_URL).

Django's own Redis cache and cached_db sessions against a real Redis server (the redis_url
fixture): the login writes the session to Redis, and the next request is authenticated from there.
"""

import pytest
import redis
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.pages import login_redirect


@pytest.fixture
def in_redis(settings, redis_url):
    """The settings REDIS_URL gives, pointed at the test's own Redis database; a raw client to look inside."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    server = redis.Redis.from_url(redis_url)
    yield server
    server.close()


def _keys_naming(server, text: str) -> list[bytes]:
    return [key for key in server.scan_iter() if text.encode() in key]


def test_the_login_puts_the_session_in_redis_and_the_next_request_reads_it_from_there(client, alice, in_redis):
    response = client.post(reverse("accounts:login"), {"username": "100001", "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _keys_naming(in_redis, session_key), "the session is not in Redis"

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:my_account"))
    assert page.status_code == 200 and "alice@example.pl" in page.content.decode()
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert not [q["sql"] for q in queries if "django_session" in q["sql"]]  # Redis answered, not the table


def test_logging_out_removes_the_session_from_redis(client, alice, in_redis):
    client.post(reverse("accounts:login"), {"username": "100001", "password": factories.PASSWORD})
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    assert _keys_naming(in_redis, session_key) == []
    response = client.get(reverse("accounts:my_account"))
    assert response.status_code == 302 and response["Location"] == login_redirect(reverse("accounts:my_account"))


def test_the_cache_is_the_redis_database(in_redis):
    cache.set("ebok-test-key", {"value": 1}, 60)
    assert _keys_naming(in_redis, "ebok-test-key")
    assert cache.get("ebok-test-key") == {"value": 1}
