"""Per-user preferences (display settings, saved posts, DM visibility, ...)."""

from villagepump.actions.categories import follow_favorite_preferences_in, lock_sidebars_in
from villagepump.actions.transaction import Transaction, transaction
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.runtime import Runtime
from villagepump.store import preferences as preference_store


def _event(name: str, user_id: str, items: list[dict[str, str]]) -> Event:
    return Event(name, {"preferences": json_field(items)}, Broadcast(user_id=user_id))


async def _follow_favorites(
    tx: Transaction, user_id: str, items: list[dict[str, str]], deleted: bool
) -> None:
    """favorite_channel moves the channel into or out of favorites; as in Mattermost, the user
    hears sidebar_category_updated (with no details) before the preference event."""
    if await follow_favorite_preferences_in(tx, user_id, items, deleted):
        tx.publish(Event("sidebar_category_updated", {}, Broadcast(user_id=user_id)))


async def save_preferences(rt: Runtime, user_id: str, items: list[dict[str, str]]) -> None:
    """Each item is {user_id, category, name, value}, already checked to belong to `user_id`."""
    async with transaction(rt) as tx:
        # favorite_channel moves channels between sidebar categories.
        await lock_sidebars_in(tx, user_id)
        await preference_store.save_preferences(tx.conn, items)
        await _follow_favorites(tx, user_id, items, deleted=False)
        tx.publish(_event("preferences_changed", user_id, items))


async def delete_preferences(rt: Runtime, user_id: str, items: list[dict[str, str]]) -> None:
    async with transaction(rt) as tx:
        await lock_sidebars_in(tx, user_id)
        await preference_store.delete_preferences(
            tx.conn, user_id, [(i["category"], i["name"]) for i in items]
        )
        await _follow_favorites(tx, user_id, items, deleted=True)
        tx.publish(_event("preferences_deleted", user_id, items))
