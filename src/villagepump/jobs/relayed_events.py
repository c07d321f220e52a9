"""The relayed_events outbox kind: events a shell command published without Redis
(events/outbox_relay.py), published again on this server's bus.

Payload: {"events": [Event.to_wire(), ...]}. Events older than a minute are dropped: no server
was running when the command ran, so no socket or cache is left that they concern, and clients
that connected since have read the change over REST.
"""

from villagepump.clock import now_ms_of
from villagepump.events.types import Event
from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.store import Row

STALE_AFTER_MS = 60_000


async def deliver_relayed_events(ctx: DeliveryContext, item: Row) -> None:
    if ctx.runtime is None:
        raise DeliveryError("relayed events need the server's runtime", permanent=True)
    if now_ms_of(ctx.clock) - item["create_at"] > STALE_AFTER_MS:
        return
    await ctx.runtime.bus.publish([Event.from_wire(wire) for wire in item["payload"].get("events", [])])
