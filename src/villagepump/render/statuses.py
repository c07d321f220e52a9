"""Statuses as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_status(user_id: str, row: Row | None) -> dict[str, Any]:
    """A user with no stored status is offline."""
    if row is None:
        return {"user_id": user_id, "status": "offline", "manual": False, "last_activity_at": 0}
    return {
        "user_id": user_id,
        "status": row["status"],
        "manual": bool(row["manual"]),
        "last_activity_at": row["last_activity_at"],
        "dnd_end_time": row["dnd_end_time"],
    }
