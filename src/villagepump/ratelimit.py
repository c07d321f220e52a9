"""Login attempts counted in a sliding window per key (an account, a client address): in memory
for one process, or in Redis so that every process of a deployment shares the count."""

import hashlib
import ipaddress
import logging
import math
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as redis

from villagepump.clock import Clock, SystemClock
from villagepump.config import Settings
from villagepump.ids import new_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """One key's recent attempts, as Mattermost's X-RateLimit-* headers report them."""

    limit: int
    used: int
    # Until every counted attempt has left the window, and until enough have to allow one more.
    reset_seconds: float
    retry_seconds: float

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit

    def headers(self) -> dict[str, str]:
        # As Mattermost's rate limiter (throttled) writes them: whole seconds, rounded up.
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - self.used)),
            "X-RateLimit-Reset": str(math.ceil(self.reset_seconds)),
            "Retry-After": str(math.ceil(self.retry_seconds)),
        }


def _window(limit: int, window_seconds: float, times: list[float], now: float) -> Window:
    """`times`: the attempts still inside the window, oldest first."""
    used = len(times)
    return Window(
        limit=limit,
        used=used,
        reset_seconds=max(0.0, times[-1] + window_seconds - now) if times else 0.0,
        retry_seconds=max(0.0, times[used - limit] + window_seconds - now) if used >= limit else 0.0,
    )


class _Store(Protocol):
    async def peek(self, key: str, since: float) -> list[float]: ...

    async def add(self, key: str, entry: str, at: float, since: float, ttl: float) -> list[float]:
        """Adds one entry; returns every entry's time since `since`, oldest first."""
        ...

    async def remove(self, key: str, entry: str) -> None: ...

    async def clear(self, key: str) -> None: ...

    async def close(self) -> None: ...


class FailureCounter:
    """Attempts per key within `window_seconds`; a key with `limit` of them is refused until the
    oldest leave the window. `add` counts an attempt before its outcome is known, so a burst of
    simultaneous guesses cannot all slip in before the first failure is recorded."""

    def __init__(
        self, limit: int, window_seconds: float, store: _Store | None = None, clock: Clock | None = None
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._store: _Store = store or MemoryStore()
        self._clock = clock or SystemClock()

    async def peek(self, key: str) -> Window:
        now = self._now()
        return self._window(await self._store.peek(key, now - self.window_seconds), now)

    async def add(self, key: str) -> tuple[Window, str]:
        """Counts one attempt; returns the window with it, and the attempt's id for `remove`."""
        now, entry = self._now(), new_id()
        times = await self._store.add(key, entry, now, now - self.window_seconds, self.window_seconds)
        return self._window(times, now), entry

    async def remove(self, key: str, entry: str) -> None:
        await self._store.remove(key, entry)

    async def clear(self, key: str) -> None:
        await self._store.clear(key)

    async def close(self) -> None:
        await self._store.close()

    def _window(self, times: list[float], now: float) -> Window:
        return _window(self.limit, self.window_seconds, times, now)

    def _now(self) -> float:
        # Wall time, not monotonic: processes sharing Redis compare their times with each other.
        return self._clock.time()


class MemoryStore:
    def __init__(self) -> None:
        self._entries: dict[str, deque[tuple[float, str]]] = {}
        # Keys whose attempts have all left the window are dropped when the number of keys has
        # doubled since the last sweep, so sweeping costs O(1) per attempt however many there are.
        self._sweep_at = 10_000

    async def peek(self, key: str, since: float) -> list[float]:
        # Most logins come from addresses with no failures: no entry is made for them.
        if key not in self._entries:
            return []
        return [at for at, _ in self._recent(key, since)]

    async def add(self, key: str, entry: str, at: float, since: float, ttl: float) -> list[float]:
        if len(self._entries) >= self._sweep_at:
            self._sweep(since)
            self._sweep_at = max(10_000, 2 * len(self._entries))
        entries = self._recent(key, since)
        entries.append((at, entry))
        return [time for time, _ in entries]

    async def remove(self, key: str, entry: str) -> None:
        entries = self._entries.get(key)
        if entries is not None:
            self._entries[key] = deque(item for item in entries if item[1] != entry)

    async def clear(self, key: str) -> None:
        self._entries.pop(key, None)

    async def close(self) -> None:
        pass

    def _recent(self, key: str, since: float) -> deque[tuple[float, str]]:
        entries = self._entries.setdefault(key, deque())
        while entries and entries[0][0] <= since:
            entries.popleft()
        return entries

    def _sweep(self, since: float) -> None:
        for key in list(self._entries):
            if not self._recent(key, since):
                del self._entries[key]


class RedisStore:
    """A sorted set per key (members: attempt ids, scores: times), under the deployment's prefix.
    Keys are hashed, so neither addresses nor login names sit in Redis in clear. If Redis cannot
    be reached, attempts are not counted (and this is logged): an outage must not lock every
    user out."""

    def __init__(self, url: str, prefix: str) -> None:
        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    async def peek(self, key: str, since: float) -> list[float]:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(self._key(key), "-inf", since)
                pipe.zrange(self._key(key), 0, -1, withscores=True)
                _, entries = await pipe.execute()
        except redis.RedisError:
            log.exception("could not read login attempts from Redis")
            return []
        return [score for _, score in entries]

    async def add(self, key: str, entry: str, at: float, since: float, ttl: float) -> list[float]:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(self._key(key), "-inf", since)
                pipe.zadd(self._key(key), {entry: at})
                pipe.zrange(self._key(key), 0, -1, withscores=True)
                pipe.expire(self._key(key), math.ceil(ttl) + 1)
                _, _, entries, _ = await pipe.execute()
        except redis.RedisError:
            log.exception("could not count a login attempt in Redis")
            return []
        return [score for _, score in entries]

    async def remove(self, key: str, entry: str) -> None:
        try:
            await self._redis.zrem(self._key(key), entry)
        except redis.RedisError:
            log.exception("could not remove a login attempt from Redis")

    async def clear(self, key: str) -> None:
        try:
            await self._redis.delete(self._key(key))
        except redis.RedisError:
            log.exception("could not clear login attempts in Redis")

    async def close(self) -> None:
        await self._redis.aclose()

    def _key(self, key: str) -> str:
        return self._prefix + hashlib.sha256(key.encode()).hexdigest()[:32]


def address_key(address: str) -> str:
    """What failures from a client address are counted against: the address, or for IPv6 its
    /64, since one subscriber is usually handed a whole /64 and could otherwise rotate through it."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def login_counters(settings: Settings, clock: Clock) -> tuple[FailureCounter, FailureCounter]:
    """(per account, per client address), shared through Redis when the deployment has one."""

    def store(name: str) -> _Store:
        if settings.redis_url:
            return RedisStore(settings.redis_url, f"{settings.redis_channel}.login_attempts.{name}.")
        return MemoryStore()

    window = settings.login_window_seconds
    return (
        FailureCounter(settings.login_failures_per_account, window, store("account"), clock),
        FailureCounter(settings.login_failures_per_address, window, store("address"), clock),
    )
