"""Jobs as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_job(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": row["type"],
        "priority": row["priority"],
        "create_at": row["create_at"],
        "start_at": row["start_at"],
        "last_activity_at": row["last_activity_at"],
        "status": row["status"],
        "progress": row["progress"],
        "data": dict(row["data"]),
    }
