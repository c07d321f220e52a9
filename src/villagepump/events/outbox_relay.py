"""The bus of a shell command when no Redis joins the processes: its events reach the lone
running server through the outbox.

`villagepump user deactivate` and the other shell commands change the database from a process
of their own. With Redis their events reach every server on the bus; without it a process's bus
reaches only itself, so the server would go on serving a deactivated user's open sockets. This
bus delivers in the command's own process as LocalBus does and, when the command ends, writes
everything it published, in order, as one outbox item (kind `relayed_events`), which the
server's jobs worker claims within `jobs_poll_seconds` and publishes on its own bus
(jobs/relayed_events.py): sockets close, cached sessions are forgotten and clients hear the
change as if it had been made there.
"""

import logging
from collections.abc import Sequence

from villagepump.clock import Clock, now_ms_of
from villagepump.events.bus import Deliver, LocalBus
from villagepump.events.types import Event
from villagepump.ids import new_id
from villagepump.jobs.types import RELAYED_EVENTS
from villagepump.store import outbox as outbox_store
from villagepump.store.database import Database

log = logging.getLogger(__name__)


class OutboxRelayBus:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._local = LocalBus()
        self._db = db
        self._clock = clock
        self._published: list[Event] = []

    async def start(self, deliver: Deliver) -> None:
        await self._local.start(deliver)

    async def publish(self, events: Sequence[Event]) -> None:
        # Not written here: publishing happens in a transaction's after-commit, which on SQLite
        # still holds the one write lock.
        await self._local.publish(events)
        self._published.extend(events)

    async def close(self) -> None:
        if self._published:
            try:
                await self._relay(self._published)
            except Exception:
                # The change is made; a running server notices within its session cache's 5 s.
                log.exception("could not tell a running server of this command's changes")
            self._published = []
        await self._local.close()

    async def _relay(self, events: list[Event]) -> None:
        now = now_ms_of(self._clock)
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
