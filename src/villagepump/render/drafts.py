"""Synced drafts as Mattermost sends them (model.Draft)."""

from typing import Any

from villagepump.store import Row


def render_draft(row: Row) -> dict[str, Any]:
    return {
        "create_at": row["create_at"],
        "update_at": row["update_at"],
        "delete_at": 0,
        "user_id": row["user_id"],
        "channel_id": row["channel_id"],
        "root_id": row["root_id"],
        "message": row["message"],
        "props": row["props"] or {},
        "file_ids": row["file_ids"] or [],
    }
