"""The event bus: the in-process default, and Redis pub/sub for several server processes."""

from collections.abc import Callable, Sequence
from typing import Protocol

from villagepump.events.types import Event

Deliver = Callable[[Event], None]


class Bus(Protocol):
    async def start(self, deliver: Deliver) -> None:
        """Begin handing every published event, from any process, to `deliver`."""

    async def publish(self, events: Sequence[Event]) -> None:
        """Send events, in order, to every process's hub."""

    async def close(self) -> None: ...


class LocalBus:
    """One process: publishing is delivering."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def publish(self, events: Sequence[Event]) -> None:
        if self._deliver is None:
            return
        for event in events:
            self._deliver(event)

    async def close(self) -> None:
        self._deliver = None
