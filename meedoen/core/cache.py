"""The shared cache in Redis, which never takes a page down: when Redis does not answer, a read is a miss and a
write is skipped (and logged), so that figures are computed afresh and throttling lets requests through."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def cache_url(url: str) -> str:
    """Django's Redis cache speaks unix:// where Celery's URLs say redis+socket://."""
    return "unix://" + url.removeprefix("redis+socket://") if url.startswith("redis+socket://") else url


def _forgiving(method, default):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        import redis

        try:
            return method(self, *args, **kwargs)
        except (redis.RedisError, OSError) as error:
            logger.warning("Cache unavailable (%s): %s", method.__name__, error)
            return default(*args, **kwargs) if callable(default) else default

    return call


def _default_of_get(key, default=None, version=None):
    return default


class ForgivingRedisCache(RedisCache):
    get = _forgiving(RedisCache.get, _default_of_get)
    get_many = _forgiving(RedisCache.get_many, {})
    set = _forgiving(RedisCache.set, None)
    set_many = _forgiving(RedisCache.set_many, [])
    add = _forgiving(RedisCache.add, False)
    touch = _forgiving(RedisCache.touch, False)
    delete = _forgiving(RedisCache.delete, False)
    delete_many = _forgiving(RedisCache.delete_many, None)
    has_key = _forgiving(RedisCache.has_key, False)
    clear = _forgiving(RedisCache.clear, None)
