"""Sidebar categories. The Mattermost mobile app shows a channel only through a category, so every
channel a user belongs to is kept in exactly one category of each of their teams: the default
ones are made on first use, and channels joined since then are placed when the sidebar is read.
"""

from dataclasses import dataclass, field
from typing import Any

from villagepump import errors
from villagepump.actions.transaction import Transaction, transaction
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import is_valid_id, new_id
from villagepump.render.categories import render_category
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import categories as category_store
from villagepump.store import channels as channel_store
from villagepump.store import preferences as preference_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

DEFAULT_CATEGORIES = (
    ("favorites", "Favorites"),
    ("channels", "Channels"),
    ("direct_messages", "Direct Messages"),
)
SORTINGS = ("", "alpha", "manual", "recent")
# Older clients mark favorites with this preference; Mattermost keeps it and the favorites
# category in step both ways.
FAVORITE_PREFERENCE = "favorite_channel"
_DIRECT_TYPES = ("D", "G")


@dataclass
class Sidebar:
    """One user's categories in one team, with the channels each holds, in order."""

    categories: list[Row]
    channel_ids: dict[str, list[str]] = field(default_factory=dict)
    # Every channel that belongs in this sidebar, with its type (O, P, D or G).
    channel_types: dict[str, str] = field(default_factory=dict)

    def rendered(self) -> list[dict[str, Any]]:
        return [render_category(c, self.channel_ids.get(c["id"], [])) for c in self.categories]

    def by_type(self, category_type: str) -> Row:
        return next(c for c in self.categories if c["type"] == category_type)

    def placed(self) -> set[str]:
        return {cid for ids in self.channel_ids.values() for cid in ids}

    def needs_repair(self) -> bool:
        placed = [cid for ids in self.channel_ids.values() for cid in ids]
        return (
            not self.categories or set(placed) != set(self.channel_types) or len(placed) != len(set(placed))
        )


async def _load(conn: Any, user_id: str, team_id: str) -> Sidebar:
    sidebar = Sidebar(
        categories=await category_store.categories_for(conn, user_id, team_id),
        channel_types=await category_store.sidebar_channel_types(conn, user_id, team_id),
    )
    for row in await category_store.placements(conn, user_id, team_id):
        sidebar.channel_ids.setdefault(row["category_id"], []).append(row["channel_id"])
    return sidebar


async def get_sidebar(rt: Runtime, user_id: str, team_id: str) -> Sidebar:
    """The sidebar, first putting any channel that is in none of its categories into its default one."""
    async with rt.db.read() as conn:
        sidebar = await _load(conn, user_id, team_id)
    if not sidebar.needs_repair():
        return sidebar
    async with transaction(rt) as tx:
        await lock_sidebars_in(tx, user_id)
        return await _repair_in(tx, user_id, team_id)


async def lock_sidebars_in(tx: Transaction, user_id: str) -> None:
    """Every write to a user's sidebars reads it, then rewrites it: two at once (two first reads,
    a category created while a favorite is saved) would each place the same channel. They take
    turns on the user's row, taken first so that no two of them wait on each other."""
    await user_store.lock_user(tx.conn, user_id)


async def _repair_in(tx: Transaction, user_id: str, team_id: str) -> Sidebar:
    sidebar = await _load(tx.conn, user_id, team_id)
    if not sidebar.categories:
        for order, (category_type, display_name) in enumerate(DEFAULT_CATEGORIES):
            await _insert_category(tx, user_id, team_id, category_type, display_name, order * 10)
        sidebar = await _load(tx.conn, user_id, team_id)
    seen: set[str] = set()
    for category_id, ids in sidebar.channel_ids.items():
        stale = [cid for cid in ids if cid not in sidebar.channel_types or cid in seen]
        seen.update(ids)
        await category_store.remove_channels(tx.conn, [category_id], stale)
    missing = [cid for cid in sidebar.channel_types if cid not in seen]
    favorites = await category_store.favorite_channel_ids(tx.conn, user_id)
    for category_type in ("favorites", "channels", "direct_messages"):
        chosen = [
            cid
            for cid in missing
            if _default_category(sidebar.channel_types[cid], cid in favorites) == category_type
        ]
        await category_store.add_channels(tx.conn, sidebar.by_type(category_type)["id"], user_id, chosen)
    return await _load(tx.conn, user_id, team_id)


def _default_category(channel_type: str, favorite: bool) -> str:
    if favorite:
        return "favorites"
    return "direct_messages" if channel_type in _DIRECT_TYPES else "channels"


async def _insert_category(
    tx: Transaction, user_id: str, team_id: str, category_type: str, display_name: str, sort_order: int
) -> str:
    category_id = new_id()
    await category_store.insert_category(
        tx.conn,
        {
            "id": category_id,
            "user_id": user_id,
            "team_id": team_id,
            "type": category_type,
            "display_name": display_name,
            "sort_order": sort_order,
            "sorting": "",
            "muted": False,
            "collapsed": False,
        },
    )
    return category_id


def _category_event(event: str, user_id: str, team_id: str, data: dict[str, Any]) -> Event:
    return Event(event, data, Broadcast(user_id=user_id, team_id=team_id))


async def _repaired_in(tx: Transaction, user_id: str, team_id: str) -> Sidebar:
    await lock_sidebars_in(tx, user_id)
    if await team_store.get_active_member(tx.conn, team_id, user_id) is None:
        raise errors.forbidden()
    return await _repair_in(tx, user_id, team_id)


async def set_order(rt: Runtime, user_id: str, team_id: str, order: list[str]) -> list[str]:
    async with transaction(rt) as tx:
        sidebar = await _repaired_in(tx, user_id, team_id)
        if sorted(order) != sorted(c["id"] for c in sidebar.categories):
            raise errors.bad_request(
                "api.sidebar_category.order.app_error", "The order must list each of the categories once."
            )
        for position, category_id in enumerate(order):
            await category_store.update_category(tx.conn, category_id, {"sort_order": position * 10})
        tx.publish(_category_event("sidebar_category_order_updated", user_id, team_id, {"order": order}))
    return order


async def create_category(rt: Runtime, user_id: str, team_id: str, body: dict[str, Any]) -> dict[str, Any]:
    display_name = _display_name(body.get("display_name"))
    async with transaction(rt) as tx:
        sidebar = await _repaired_in(tx, user_id, team_id)
        # A new category goes to the top of the sidebar, as in Mattermost.
        top = min((c["sort_order"] for c in sidebar.categories), default=0) - 10
        category_id = await _insert_category(tx, user_id, team_id, "custom", display_name, top)
        await _apply_update(tx, user_id, team_id, {**body, "id": category_id})
        sidebar = await _repair_in(tx, user_id, team_id)
        tx.publish(
            _category_event("sidebar_category_created", user_id, team_id, {"category_id": category_id})
        )
    return next(c for c in sidebar.rendered() if c["id"] == category_id)


async def update_categories(
    rt: Runtime, user_id: str, team_id: str, updates: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Applies each update in turn (a channel listed in a category leaves its old one) and
    returns the updated categories."""
    async with transaction(rt) as tx:
        await _repaired_in(tx, user_id, team_id)
        for update in updates:
            await _apply_update(tx, user_id, team_id, update)
        sidebar = await _repair_in(tx, user_id, team_id)
        rendered = sidebar.rendered()
        tx.publish(
            _category_event(
                "sidebar_category_updated",
                user_id,
                team_id,
                {"updatedCategories": json_field(rendered)},
            )
        )
    wanted = [u["id"] for u in updates]
    return sorted((c for c in rendered if c["id"] in wanted), key=lambda c: wanted.index(c["id"]))


async def delete_category(rt: Runtime, user_id: str, team_id: str, category_id: str) -> None:
    """Deletes a custom category; its channels go back to their default categories."""
    async with transaction(rt) as tx:
        await _repaired_in(tx, user_id, team_id)
        category = await _owned_category(tx, user_id, team_id, category_id)
        if category["type"] != "custom":
            raise errors.bad_request(
                "api.sidebar_category.delete_invalid.app_error", "Only custom categories can be deleted."
            )
        await category_store.delete_category(tx.conn, category_id)
        await _repair_in(tx, user_id, team_id)
        tx.publish(
            _category_event("sidebar_category_deleted", user_id, team_id, {"category_id": category_id})
        )


async def _owned_category(tx: Transaction, user_id: str, team_id: str, category_id: str) -> Row:
    category = await category_store.get_category(tx.conn, category_id)
    if category is None or category["user_id"] != user_id or category["team_id"] != team_id:
        raise errors.not_found("category", "app.channel.sidebar_categories.app_error")
    return category


def _display_name(value: object) -> str:
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 64:
        raise errors.bad_request(
            "model.sidebar_category.is_valid.display_name.app_error", "A category needs a display name."
        )
    return value.strip()


async def _apply_update(tx: Transaction, user_id: str, team_id: str, update: dict[str, Any]) -> None:
    category_id = update.get("id")
    if not is_valid_id(category_id):
        raise errors.invalid_body("id")
    assert isinstance(category_id, str)
    category = await _owned_category(tx, user_id, team_id, category_id)
    changes = _changed_fields(category, update)
    if changes:
        await category_store.update_category(tx.conn, category_id, changes)
    sidebar = await _load(tx.conn, user_id, team_id)
    channel_ids = sidebar.channel_ids.get(category_id, [])
    if update.get("channel_ids") is not None:
        before, channel_ids = channel_ids, _check_channel_ids(update["channel_ids"], category, sidebar)
        others = [c["id"] for c in sidebar.categories if c["id"] != category_id]
        await category_store.remove_channels(tx.conn, others, channel_ids)
        await category_store.set_channels(tx.conn, category_id, user_id, channel_ids)
        await _update_favorite_preferences(tx, user_id, category, before, channel_ids)
    # Muting a category mutes its channels, and channels moved into a muted one, as in Mattermost.
    muted = changes.get("muted", category["muted"])
    if "muted" in changes or (muted and update.get("channel_ids") is not None):
        await channel_store.set_mark_unread(tx.conn, user_id, channel_ids, "mention" if muted else "all")


def _changed_fields(category: Row, update: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if category["type"] == "custom" and update.get("display_name") is not None:
        changes["display_name"] = _display_name(update["display_name"])
    if update.get("sorting") is not None:
        if update["sorting"] not in SORTINGS:
            raise errors.invalid_body("sorting")
        changes["sorting"] = update["sorting"]
    for flag in ("muted", "collapsed"):
        if update.get(flag) is not None:
            if not isinstance(update[flag], bool):
                raise errors.invalid_body(flag)
            changes[flag] = update[flag]
    if category["type"] == "direct_messages":
        changes.pop("muted", None)
    return changes


def _check_channel_ids(value: object, category: Row, sidebar: Sidebar) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(cid, str) for cid in value):
        raise errors.invalid_body("channel_ids")
    channel_ids = list(dict.fromkeys(value))
    for cid in channel_ids:
        channel_type = sidebar.channel_types.get(cid)
        if channel_type is None:
            raise errors.bad_request(
                "api.sidebar_category.channel_not_member.app_error",
                "A category can only hold channels you belong to in this team.",
            )
        direct = channel_type in _DIRECT_TYPES
        if (category["type"] == "channels" and direct) or (
            category["type"] == "direct_messages" and not direct
        ):
            raise errors.bad_request(
                "api.sidebar_category.channel_type.app_error",
                "Direct messages and channels each have their own default category.",
            )
    return channel_ids


async def _update_favorite_preferences(
    tx: Transaction, user_id: str, category: Row, before: list[str], after: list[str]
) -> None:
    """As in Mattermost: the favorites category's channels are exactly those with the preference
    set; a channel put in any other category loses it. Mattermost sends no preference event here."""
    keys = [(FAVORITE_PREFERENCE, cid) for cid in (before if category["type"] == "favorites" else after)]
    await preference_store.delete_preferences(tx.conn, user_id, keys)
    if category["type"] == "favorites":
        items = [
            {"user_id": user_id, "category": FAVORITE_PREFERENCE, "name": cid, "value": "true"}
            for cid in after
        ]
        await preference_store.save_preferences(tx.conn, items)


async def follow_favorite_preferences_in(
    tx: Transaction, user_id: str, items: list[dict[str, str]], deleted: bool
) -> bool:
    """Moves channels into or out of the user's favorites categories after their favorite_channel
    preferences were saved (or deleted); True if any were. A channel leaving favorites goes back
    to its default category when the sidebar is next read."""
    favorites = [item for item in items if item["category"] == FAVORITE_PREFERENCE]
    for item in favorites:
        channel = await channel_store.get_channel(tx.conn, item["name"])
        if channel is None or await channel_store.get_member(tx.conn, channel["id"], user_id) is None:
            continue
        chosen = await category_store.favorites_categories(tx.conn, user_id, channel["team_id"])
        if deleted or item["value"] == "false":
            await category_store.remove_channels(tx.conn, [c["id"] for c in chosen], [channel["id"]])
        else:
            for category in chosen:
                await _make_favorite(tx, user_id, category, channel["id"])
    return bool(favorites)


async def _make_favorite(tx: Transaction, user_id: str, favorites: Row, channel_id: str) -> None:
    if channel_id in await category_store.category_channel_ids(tx.conn, favorites["id"]):
        return
    others = await category_store.categories_for(tx.conn, user_id, favorites["team_id"])
    await category_store.remove_channels(
        tx.conn, [c["id"] for c in others if c["id"] != favorites["id"]], [channel_id]
    )
    await category_store.add_channels(tx.conn, favorites["id"], user_id, [channel_id])
