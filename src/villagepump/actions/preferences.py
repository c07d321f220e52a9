"""Per-user preferences (display settings, saved posts, DM visibility, ...)."""

import orjson

from villagepump.actions.transaction import transaction
from villagepump.events.types import Broadcast, Event
from villagepump.runtime import Runtime
from villagepump.store import preferences as preference_store


def _event(name: str, user_id: str, items: list[dict[str, str]]) -> Event:
    return Event(name, {"preferences": orjson.dumps(items).decode()}, Broadcast(user_id=user_id))


async def save_preferences(rt: Runtime, user_id: str, items: list[dict[str, str]]) -> None:
    """Each item is {user_id, category, name, value}, already checked to belong to `user_id`."""
    async with transaction(rt) as tx:
        await preference_store.save_preferences(tx.conn, items)
        tx.publish(_event("preferences_changed", user_id, items))


async def delete_preferences(rt: Runtime, user_id: str, items: list[dict[str, str]]) -> None:
    async with transaction(rt) as tx:
        await preference_store.delete_preferences(
            tx.conn, user_id, [(i["category"], i["name"]) for i in items]
        )
        tx.publish(_event("preferences_deleted", user_id, items))
