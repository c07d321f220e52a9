"""The runtime's one clock: wall time for timestamps, monotonic time and sleeps for timers.

Everything that waits or expires (presence, sessions, jobs, rate limits, WebSocket liveness) asks
the runtime's clock, so tests can move time forward instead of sleeping.
"""

import asyncio
import heapq
import itertools
import time
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; only differences mean anything."""
        ...

    async def sleep(self, seconds: float) -> None: ...


def now_ms_of(clock: Clock) -> int:
    """Mattermost's timestamps: milliseconds since the epoch."""
    return int(clock.time() * 1000)


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ManualClock:
    """Time that moves only when `advance` is called; sleepers wake when their moment passes."""

    def __init__(self, start: float | None = None) -> None:
        self._wall = time.time() if start is None else start
        self._elapsed = 0.0
        self._order = itertools.count()
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []

    def time(self) -> float:
        return self._wall + self._elapsed

    def monotonic(self) -> float:
        return self._elapsed

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._elapsed + seconds, next(self._order), future))
        await future

    async def advance(self, seconds: float) -> None:
        """Moves time forward, waking each sleeper in deadline order and letting it run."""
        target = self._elapsed + seconds
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, future = heapq.heappop(self._sleepers)
            self._elapsed = max(self._elapsed, deadline)
            if not future.done():
                future.set_result(None)
            # Let the woken task run up to its next await before waking the next one.
            for _ in range(10):
                await asyncio.sleep(0)
        self._elapsed = target
