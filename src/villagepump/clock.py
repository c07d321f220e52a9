"""The runtime's one clock: wall time for timestamps, monotonic time and sleeps for timers.

Everything that waits or expires (presence, sessions, jobs, rate limits, WebSocket liveness) asks
the runtime's clock, so tests can move time forward instead of sleeping. The runtime also makes
its clock the process's `current()` one, which `ids.now_ms()` reads for the timestamps written
to rows, so a server on a manual clock stamps its rows with that clock's time.
"""

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol


class Timer(Protocol):
    def cancel(self) -> object: ...


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; only differences mean anything."""
        ...

    async def sleep(self, seconds: float) -> None: ...

    async def pause(self, seconds: float) -> None:
        """A periodic poller's sleep between two looks at the database: on a manual clock it
        wakes at most once per `advance`, however many periods the advance spans."""
        ...

    def call_later(self, seconds: float, callback: Callable[[], None]) -> Timer:
        """Runs `callback` on the event loop after `seconds`; for timers kept by the thousand,
        where a sleeping task each would cost far more memory."""
        ...


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

    async def pause(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def call_later(self, seconds: float, callback: Callable[[], None]) -> Timer:
        return asyncio.get_running_loop().call_later(seconds, callback)


_current: Clock = SystemClock()


def current() -> Clock:
    """The process's clock: the running server's, or the system's when there is no server."""
    return _current


def set_current(clock: Clock) -> None:
    """Makes `clock` the process's clock; the runtime calls this when it is made."""
    global _current
    _current = clock


class ManualClock:
    """Time that moves only when `advance` is called; sleepers wake when their moment passes."""

    def __init__(self, start: float | None = None) -> None:
        self._wall = time.time() if start is None else start
        self._elapsed = 0.0
        self._order = itertools.count()
        self._sleepers: list[tuple[float, int, asyncio.Future[None], asyncio.Task[object] | None]] = []
        # The sleepers (by order) that are pollers' pauses.
        self._pauses: set[int] = set()
        # Woken tasks that `advance(..., settle=...)` waits for, and what it waits on.
        self._settling: dict[asyncio.Task[object], asyncio.Future[None]] = {}

    def time(self) -> float:
        return self._wall + self._elapsed

    def monotonic(self) -> float:
        return self._elapsed

    async def sleep(self, seconds: float) -> None:
        await self._sleep(seconds, pause=False)

    async def pause(self, seconds: float) -> None:
        await self._sleep(seconds, pause=True)

    async def _sleep(self, seconds: float, *, pause: bool) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        task = asyncio.current_task()
        self._settled(task)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        order = next(self._order)
        if pause:
            self._pauses.add(order)
        heapq.heappush(self._sleepers, (self._elapsed + seconds, order, future, task))
        try:
            await future
        finally:
            self._pauses.discard(order)

    def call_later(self, seconds: float, callback: Callable[[], None]) -> Timer:
        # A sleeper without a task: its future's callback runs when `advance` passes the moment,
        # and a cancelled timer is a done future, which `advance` skips.
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda done: None if done.cancelled() else callback())
        heapq.heappush(self._sleepers, (self._elapsed + max(seconds, 0.0), next(self._order), future, None))
        return future

    async def advance(self, seconds: float, settle: float | None = None) -> None:
        """Moves time forward, waking each sleeper in deadline order and letting it run.

        Without `settle`, a woken task gets a few turns of the event loop before the next one
        wakes. With it, `advance` waits (up to `settle` real seconds) until the woken task ends or
        sleeps on this clock again, so work that does I/O (a database write, a Redis call)
        finishes at the simulated moment it was due, before time moves on.
        """
        target = self._elapsed + seconds
        # Pollers' pauses begun during this advance wait for the next one: a poller that pauses a
        # second would otherwise be woken for every simulated second of a 30-day advance (SQLite
        # answers on the loop's thread, so it is back asleep within the turns below).
        began = next(self._order)
        deferred = []
        while self._sleepers and self._sleepers[0][0] <= target:
            entry = heapq.heappop(self._sleepers)
            deadline, order, future, task = entry
            if order > began and order in self._pauses:
                deferred.append(entry)
                continue
            self._elapsed = max(self._elapsed, deadline)
            if future.done():
                continue
            settled = self._settling_of(task) if settle is not None and task is not None else None
            future.set_result(None)
            if settled is not None:
                await asyncio.wait({settled}, timeout=settle)
                continue
            # Let the woken task run up to its next await before waking the next one.
            for _ in range(10):
                await asyncio.sleep(0)
        for entry in deferred:
            heapq.heappush(self._sleepers, entry)
        self._elapsed = target

    def _settling_of(self, task: asyncio.Task[object]) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._settling[task] = future
        task.add_done_callback(self._settled)
        return future

    def _settled(self, task: "asyncio.Task[object] | None") -> None:
        future = self._settling.pop(task, None) if task is not None else None
        if future is None:
            return
        assert task is not None
        task.remove_done_callback(self._settled)
        if not future.done():
            future.set_result(None)
