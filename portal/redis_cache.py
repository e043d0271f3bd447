"""
Django's Redis cache, with one redis-py client per connection pool, which
stops asking a Redis that failed for a few seconds.

Django's `RedisCacheClient.get_client()` makes a new `redis.Redis` object for
every cache operation; building one (its table of response callbacks) costs
more than the round trip to Redis on loopback, and the page cache makes one or
two operations on every request. The client is thread-safe and holds no
connection of its own (the pool does), so one per pool is enough.

A Redis that refuses connections fails at once, and pages are rendered without
the cache. One that takes them and never answers (hung, or a firewall dropping
its packets) made every cache operation wait out its socket timeout, a second,
several on each page; so after a failure a worker does not ask it again for
`RETRY_AFTER_SECONDS`: each operation fails at once, as on a refusal.
"""

import time

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

RETRY_AFTER_SECONDS = 10


class RedisDown(redis.ConnectionError):
    """Redis failed a moment ago: not asked again yet."""


class FailFastRedis(redis.Redis):
    # When this process last saw each Redis server fail, by its address.
    _failed_at: dict[tuple, float] = {}

    def execute_command(self, *args, **options):
        kwargs = self.connection_pool.connection_kwargs
        server = (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"))
        failed_at = self._failed_at.get(server)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_AFTER_SECONDS:
            raise RedisDown(
                f"Redis failed less than {RETRY_AFTER_SECONDS} s ago: not asked again yet"
            )
        try:
            result = super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError):
            self._failed_at[server] = time.monotonic()
            raise
        self._failed_at.pop(server, None)
        return result


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._client = FailFastRedis
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
