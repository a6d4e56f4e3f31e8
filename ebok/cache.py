"""The cache backends: Django's, with two costs of the page cache's writes and reads taken out.

- ``RedisCache``: one client per connection pool. Django's RedisCacheClient builds a new
  ``redis.Redis`` for every cache call (sessions, the page cache); each build fills its table of
  response callbacks, ~0.1 ms of Python, several times per request. A ``redis.Redis`` is safe to
  share between threads (each command takes a connection from the pool).
- ``DatabaseCache``: on PostgreSQL ``set`` is one ``INSERT … ON CONFLICT``. Django's counts the
  whole table, then selects the key, then inserts or updates, in a savepoint: five statements for
  every page stored and every version bumped. The count (and the cull beyond MAX_ENTRIES) now
  comes with one write in ``CULL_EVERY``.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends import db as django_db
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections, router


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


class DatabaseCache(django_db.DatabaseCache):
    CULL_EVERY = 50  # writes per process (and thread) between two counts of the table

    def __init__(self, table, params) -> None:
        super().__init__(table, params)
        self._writes = 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        self._writes += 1
        if connection.vendor != "postgresql" or self._writes % self.CULL_EVERY == 0:
            return super().set(key, value, timeout, version)  # counts, and culls beyond MAX_ENTRIES
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        # The expiry and the encoding exactly as Django's set writes them.
        tz = UTC if settings.USE_TZ else None
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=tz)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        qn = connection.ops.quote_name
        table, key_column, value_column, expires_column = map(qn, (self._table, "cache_key", "value", "expires"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({key_column}) DO UPDATE "
                f"SET {value_column} = EXCLUDED.{value_column}, {expires_column} = EXCLUDED.{expires_column}",
                [key, encoded, expires],
            )
