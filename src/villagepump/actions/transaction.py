"""A write transaction that collects events and publishes them once it has committed."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.events.types import Event
from villagepump.runtime import Runtime


@dataclass
class Transaction:
    conn: AsyncConnection
    events: list[Event] = field(default_factory=list)

    def publish(self, event: Event) -> None:
        """Queue an event; it goes out only if the transaction commits."""
        self.events.append(event)


@asynccontextmanager
async def transaction(rt: Runtime) -> AsyncIterator[Transaction]:
    tx: Transaction | None = None

    async def publish_after_commit() -> None:
        if tx is not None and tx.events:
            await rt.bus.publish(tx.events)

    async with rt.db.write(after_commit=publish_after_commit) as conn:
        tx = Transaction(conn)
        yield tx
