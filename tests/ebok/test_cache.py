"""ebok.cache: Django's Redis cache with one client per pool, its database cache writing in one statement."""

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


# --- DatabaseCache ---


def _database_cache(**options):
    from ebok.cache import DatabaseCache

    return DatabaseCache("ebok_cache", {"OPTIONS": options})


def test_the_database_cache_reads_what_it_wrote(db):
    cache = _database_cache()
    for n in range(3):  # a new entry, then two overwrites
        cache.set("klucz", {"n": n, "bytes": b"\x00\xff"}, 60)
        assert cache.get("klucz") == {"n": n, "bytes": b"\x00\xff"}
    cache.set("na-zawsze", "tak", None)
    assert cache.get("na-zawsze") == "tak"
    cache.set("przeterminowany", "nie", -1)
    assert cache.get("przeterminowany") is None
    found = cache.get_many(["klucz", "na-zawsze", "brak"])
    assert found == {"klucz": {"n": 2, "bytes": b"\x00\xff"}, "na-zawsze": "tak"}
    assert cache.add("na-zawsze", "inny", None) is False and cache.get("na-zawsze") == "tak"


def test_on_postgresql_a_write_is_one_statement(db, django_assert_num_queries):
    from django.db import connection

    cache = _database_cache()
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        cache.set("strona", "<p>strona</p>", 60)


def test_the_entries_stay_near_max_entries(db):
    from django.db import connection

    cache = _database_cache(MAX_ENTRIES=5, CULL_FREQUENCY=2)
    for n in range(3 * cache.CULL_EVERY):
        cache.set(f"strona-{n}", "x" * 100, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ebok_cache")
        (count,) = cursor.fetchone()
    assert count <= 5 + cache.CULL_EVERY
