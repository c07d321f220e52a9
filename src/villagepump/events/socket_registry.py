"""Which server processes hold an open socket of a user, so presence does not mark someone
offline while they are still connected to another process."""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Protocol

import redis.asyncio as redis

from villagepump.clock import Clock, SystemClock
from villagepump.ids import new_id

log = logging.getLogger(__name__)

# An entry holds this long unless refreshed; processes refresh theirs every third of it, so a
# crashed process's users stop counting as connected within this time.
_ENTRY_SECONDS = 30.0


class SocketRegistry(Protocol):
    async def start(self) -> None: ...

    async def opened(self, user_id: str) -> None:
        """This process has a socket of the user."""

    async def closed(self, user_id: str) -> None:
        """This process has no more sockets of the user."""

    async def connected_elsewhere(self, user_id: str) -> bool: ...

    async def close(self) -> None: ...


class LocalSockets:
    """One process: nobody is connected anywhere else."""

    async def start(self) -> None:
        pass

    async def opened(self, user_id: str) -> None:
        pass

    async def closed(self, user_id: str) -> None:
        pass

    async def connected_elsewhere(self, user_id: str) -> bool:
        return False

    async def close(self) -> None:
        pass


class RedisSockets:
    """A sorted set per user in Redis: members are process ids, scores the time until which the
    entry holds. Failures are logged and read as "not connected elsewhere": presence is a
    courtesy and must not break a request."""

    def __init__(
        self,
        url: str,
        prefix: str,
        connected_user_ids: Callable[[], list[str]],
        clock: Clock | None = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix + ".sockets."
        self._process_id = new_id()
        self._connected_user_ids = connected_user_ids
        self._refresher: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._refresher = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def opened(self, user_id: str) -> None:
        with _logged("record a socket"):
            await self._mark([user_id])

    async def closed(self, user_id: str) -> None:
        with _logged("forget a socket"):
            await self._redis.zrem(self._prefix + user_id, self._process_id)

    async def connected_elsewhere(self, user_id: str) -> bool:
        with _logged("look up sockets"):
            holders = await self._redis.zrangebyscore(self._prefix + user_id, self._clock.time(), "+inf")
            return any(holder != self._process_id.encode() for holder in holders)
        return False

    async def close(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            await asyncio.gather(self._refresher, return_exceptions=True)
        await self._redis.aclose()

    async def _mark(self, user_ids: list[str]) -> None:
        now = self._clock.time()
        until = now + _ENTRY_SECONDS
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                key = self._prefix + user_id
                pipe.zadd(key, {self._process_id: until})
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.expire(key, int(_ENTRY_SECONDS * 2))
            await pipe.execute()

    async def _refresh_forever(self) -> None:
        while True:
            await self._clock.pause(_ENTRY_SECONDS / 3)
            user_ids = self._connected_user_ids()
            if user_ids:
                with _logged("refresh sockets"):
                    await self._mark(user_ids)


@contextlib.contextmanager
def _logged(what: str) -> Iterator[None]:
    try:
        yield
    except redis.RedisError:
        log.exception("could not %s in Redis", what)
