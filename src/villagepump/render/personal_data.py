"""Personal data exports and the retention warning, as the web client reads them."""

from typing import Any

from villagepump.store import Row


def render_export(export: Row | dict[str, Any]) -> dict[str, Any]:
    ready = export["status"] == "ready"
    return {
        "id": export["id"],
        "user_id": export["user_id"],
        # pending, in_progress, ready, error or expired.
        "status": export["status"],
        "create_at": export["create_at"],
        "finish_at": export["finish_at"],
        "expire_at": export["expire_at"],
        "size": export["size"],
        "download_url": f"/api/v4/villagepump/data_exports/{export['id']}/download" if ready else "",
    }


def render_expiring(count: int, days: int, oldest_at: int, retention_on: bool) -> dict[str, Any]:
    return {"count": count, "days": days, "oldest_at": oldest_at, "retention": retention_on}
