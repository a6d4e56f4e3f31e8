"""The Redis cache backend, with one client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` for every cache call (sessions, the page
cache): each build fills its table of response callbacks, ~0.1 ms of Python, several times per
request. A ``redis.Redis`` is safe to share between threads (each command takes a connection
from the pool), so one per pool serves every call.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


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
