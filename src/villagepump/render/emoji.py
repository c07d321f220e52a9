"""Custom emoji as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_emoji(emoji: Row) -> dict[str, Any]:
    return {
        "id": emoji["id"],
        "create_at": emoji["create_at"],
        "update_at": emoji["update_at"],
        "delete_at": emoji["delete_at"],
        "creator_id": emoji["creator_id"],
        "name": emoji["name"],
    }
