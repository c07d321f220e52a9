"""Redis pub/sub between server processes: every process, the publisher included, delivers each
event when it comes back from Redis, so all processes deliver in the same order."""

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import orjson
import redis.asyncio as redis
from redis.asyncio.client import PubSub

from villagepump.events.bus import Deliver
from villagepump.events.types import EVENTS_LOST, Event

log = logging.getLogger(__name__)

DEFAULT_CHANNEL = "villagepump.events"
_RETRY_SECONDS = 1.0


class RedisBus:
    def __init__(self, url: str, channel: str = DEFAULT_CHANNEL) -> None:
        self.url = url
        self.channel = channel
        self._redis: redis.Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver
        self._redis = redis.Redis.from_url(self.url)
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        # Subscribed before start returns, so no event published after it is missed.
        await pubsub.subscribe(self.channel)
        self._listener = asyncio.get_running_loop().create_task(self._listen(pubsub, deliver))

    async def publish(self, events: Sequence[Event]) -> None:
        if self._redis is None or not events:
            return
        # One message per transaction: its events stay together and in order.
        message = orjson.dumps([event.to_wire() for event in events])
        try:
            await self._redis.publish(self.channel, message)
        except Exception:
            # The transaction has committed; the request must still succeed. Clients here learn
            # that they missed events; other processes find out when their subscription breaks.
            log.exception("could not publish %d events to Redis", len(events))
            self._events_lost()

    async def _listen(self, pubsub: PubSub, deliver: Deliver) -> None:
        while True:
            try:
                async for message in pubsub.listen():
                    _deliver_message(message, deliver)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("lost the Redis event subscription; resubscribing")
                await asyncio.sleep(_RETRY_SECONDS)
                try:
                    await pubsub.subscribe(self.channel)
                except Exception:
                    log.exception("could not resubscribe to Redis")
                # Whatever was published meanwhile never reached this process's clients.
                self._events_lost()

    def _events_lost(self) -> None:
        if self._deliver is not None:
            self._deliver(Event(EVENTS_LOST, {}))

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None


def _deliver_message(message: dict[str, Any], deliver: Deliver) -> None:
    if message.get("type") != "message":
        return
    try:
        wires = orjson.loads(message["data"])
        events = [Event.from_wire(wire) for wire in wires]
    except Exception:
        log.exception("dropped a malformed message from Redis")
        return
    for event in events:
        deliver(event)
