"""
Django's Redis cache, with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client()` makes a new `redis.Redis` object for
every cache operation; building one (its table of response callbacks) costs
more than the round trip to Redis on loopback, and the page cache makes one or
two operations on every request. The client is thread-safe and holds no
connection of its own (the pool does), so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
