"""Typing indicators: nothing is stored, the channel's other members are told."""

from villagepump.events.types import Broadcast, Event
from villagepump.runtime import Runtime


async def publish_typing(rt: Runtime, user_id: str, channel_id: str, parent_id: str) -> None:
    """The caller has checked that the user belongs to the channel."""
    event = Event(
        "typing",
        {"parent_id": parent_id, "user_id": user_id},
        Broadcast(channel_id=channel_id, omit_users={user_id: True}),
    )
    await rt.bus.publish([event])
