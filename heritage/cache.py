"""Django's Redis cache, made to survive Redis going away.

With REDIS_URL set, the kept answers of the API and the throttle's counts live in Redis, shared
by every worker and server. Redis is a help, not a dependency: when it does not answer, each
operation falls back on this process's own memory (answers computed, clients throttled per
process, as without Redis), a warning is logged once per outage, and Redis is tried again a few
seconds later, so the API recovers by itself when Redis is back."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long Redis is left alone after it failed: trying it on every request would add its
# connection timeout to each.
RETRY_AFTER_SECONDS = 5.0


class ResilientRedisCache(RedisCache):
    # Whether each Redis (by its address) is down, and until when it is left alone: shared by
    # the caches of a process that use the same Redis, so an outage is said once.
    _down_until: dict[str, float] = {}
    _lock = threading.Lock()

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._server = server
        self._local = LocMemCache(f"fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 1000}})

    def _either(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        """`operation` on Redis, or on this process's memory while Redis does not answer."""
        if time.monotonic() >= self._down_until.get(self._server, 0.0):
            redis_operation: Callable[..., Any] = getattr(super(), operation)
            try:
                result = redis_operation(*args, **kwargs)
            except (RedisError, OSError) as error:
                self._went_down(error)
            else:
                self._came_back()
                return result
        return getattr(self._local, operation)(*args, **kwargs)

    def _went_down(self, error: Exception) -> None:
        with self._lock:
            was_up = self._server not in self._down_until
            self._down_until[self._server] = time.monotonic() + RETRY_AFTER_SECONDS
        if was_up:
            logger.warning(
                "Redis does not answer (%s): kept answers and throttling use this process's "
                "memory until it does.",
                error,
            )

    def _came_back(self) -> None:
        if self._server in self._down_until:
            with self._lock:
                was_down = self._down_until.pop(self._server, None) is not None
            if was_down:
                logger.warning("Redis answers again: kept answers and throttling are shared.")

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._either("set", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._either("add", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._either("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self._either("get_many", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        self._either("delete_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return self._either("incr", *args, **kwargs)

    def clear(self) -> None:
        self._local.clear()
        self._either("clear")
