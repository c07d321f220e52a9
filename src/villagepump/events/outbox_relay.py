"""The bus of a shell command when no Redis joins the processes: its events reach the lone
running server through the outbox.

`villagepump user deactivate` and the other shell commands change the database from a process
of their own. With Redis their events reach every server on the bus; without it a process's bus
reaches only itself, so the server would go on serving a deactivated user's open sockets. This
bus delivers in the command's own process as LocalBus does, and writes what it published as one
outbox item (kind `relayed_events`), which the server's jobs worker claims within
`jobs_poll_seconds` and publishes on its own bus (jobs/relayed_events.py): sockets close,
cached sessions are forgotten and clients hear the change as if it had been made there.
"""

from collections.abc import Sequence

from villagepump.clock import Clock, now_ms_of
from villagepump.events.bus import Deliver, LocalBus
from villagepump.events.types import Event
from villagepump.ids import new_id
from villagepump.jobs.types import RELAYED_EVENTS
from villagepump.store import outbox as outbox_store
from villagepump.store.database import Database


class OutboxRelayBus:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._local = LocalBus()
        self._db = db
        self._clock = clock

    async def start(self, deliver: Deliver) -> None:
        await self._local.start(deliver)

    async def publish(self, events: Sequence[Event]) -> None:
        await self._local.publish(events)
        if not events:
            return
        now = now_ms_of(self._clock)
        # After the change committed, as a Redis publish would be: a command killed in between
        # leaves the server to notice at the session cache's expiry, as before.
        async with self._db.write() as conn:
            await outbox_store.insert_item(
                conn,
                {
                    "id": new_id(),
                    "kind": RELAYED_EVENTS,
                    "payload": {"events": [event.to_wire() for event in events]},
                    "status": "pending",
                    "available_at": now,
                    "attempts": 0,
                    "claim_token": "",
                    "last_error": "",
                    "job_id": "",
                    "create_at": now,
                    "update_at": now,
                },
            )

    async def close(self) -> None:
        await self._local.close()
