"""What a shell command relays through the outbox without Redis (events/outbox_relay.py) is
published on the server's bus as it was sent, in order, unless it is too old to concern anyone.
tests/test_cli_admin.py drives the whole way, from the command to a closed socket."""

import asyncio
from types import SimpleNamespace
from typing import Any

from villagepump.clock import ManualClock, now_ms_of
from villagepump.events.bus import LocalBus
from villagepump.events.types import Broadcast, Event, MembershipChange
from villagepump.jobs.relayed_events import STALE_AFTER_MS, deliver_relayed_events
from villagepump.jobs.types import DeliveryContext


def test_relayed_events_are_published_in_order_unless_stale() -> None:
    sent = [
        Event.sessions_changed("hamlet", ["session1"], ["hash1"], forget_user=True),
        Event(
            "user_removed",
            {"user_id": "hamlet"},
            Broadcast(channel_id="elsinore", omit_users={"othello": True}),
            (MembershipChange("channel", "elsinore", "hamlet", False),),
        ),
    ]

    async def story() -> list[Event]:
        clock = ManualClock()
        heard: list[Event] = []
        bus = LocalBus()
        await bus.start(heard.append)
        context = DeliveryContext(
            settings=None,  # type: ignore[arg-type]
            http=None,  # type: ignore[arg-type]
            clock=clock,
            runtime=SimpleNamespace(bus=bus),  # type: ignore[arg-type]
        )
        now = now_ms_of(clock)

        def item(age_ms: int, events: list[Event]) -> dict[str, Any]:
            return {"create_at": now - age_ms, "payload": {"events": [e.to_wire() for e in events]}}

        await deliver_relayed_events(context, item(1000, sent))
        # No server ran when it was sent: nothing is left that it concerns.
        await deliver_relayed_events(context, item(STALE_AFTER_MS + 1, sent))
        return heard

    assert asyncio.run(story()) == sent
