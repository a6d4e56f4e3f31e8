"""ebok.cache.RedisCache: Django's Redis cache with one client per connection pool."""

from ebok.cache import RedisCache


def test_every_call_shares_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})  # nothing connects until a command runs
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client  # one server: reads and writes share a pool


def test_with_a_replica_reads_and_writes_keep_their_own_clients():
    cache = RedisCache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6380/15", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert writer is not reader
    assert cache._cache.get_client(write=True) is writer and cache._cache.get_client() is reader
