"""FileInfo as Mattermost sends it."""

import base64
from collections.abc import Mapping
from typing import Any


def render_file_info(info: Mapping[Any, Any]) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "id": info["id"],
        "user_id": info["creator_id"],
        "post_id": info["post_id"],
        "channel_id": info["channel_id"],
        "create_at": info["create_at"],
        "update_at": info["update_at"],
        "delete_at": info["delete_at"],
        "name": info["name"],
        "extension": info["extension"],
        "size": info["size"],
        "mime_type": info["mime_type"],
        "width": info["width"],
        "height": info["height"],
        "has_preview_image": info["has_preview_image"],
        # Go sends a []byte as base64; the mobile app draws it while the thumbnail loads.
        "mini_preview": base64.b64encode(bytes(info["mini_preview"])).decode()
        if info["mini_preview"]
        else None,
        "archived": False,
        "remote_id": "",
    }
    return rendered
