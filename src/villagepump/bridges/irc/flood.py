"""Flood control: a token bucket in front of the socket. Lines wait their turn; none is dropped."""

import asyncio
from collections import deque

from villagepump.clock import Clock


class SendQueue:
    """Lines for the server, let out at most `burst` at once and `per_second` after that, so the
    server never disconnects the relay for flooding. Kept across reconnections: what was queued
    while the connection was down goes once it is back."""

    def __init__(self, clock: Clock, burst: int, per_second: float) -> None:
        self._clock = clock
        self._burst = max(burst, 1)
        self._per_second = max(per_second, 0.01)
        self._tokens = float(self._burst)
        self._refilled = clock.monotonic()
        self._lines: deque[bytes] = deque()
        self._ready = asyncio.Event()

    def __len__(self) -> int:
        return len(self._lines)

    def put(self, line: bytes) -> None:
        self._lines.append(line)
        self._ready.set()

    def _refill(self) -> None:
        now = self._clock.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self._per_second)
        self._refilled = now

    async def next_line(self) -> bytes:
        """The next line, once both a line and a token are there. The line stays queued until it
        is taken, so a connection that drops while waiting leaves it for the next one."""
        while not self._lines:
            self._ready.clear()
            await self._ready.wait()
        self._refill()
        while self._tokens < 1:
            await self._clock.sleep((1 - self._tokens) / self._per_second)
            self._refill()
        self._tokens -= 1
        return self._lines.popleft()

    def push_back(self, line: bytes) -> None:
        """A line taken but not sent (the connection dropped): first again next time."""
        self._lines.appendleft(line)
        self._ready.set()
