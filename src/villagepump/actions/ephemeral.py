"""Messages for one user's eyes only, never stored: command answers, an integration's replies."""

from typing import Any

from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import new_id, now_ms
from villagepump.render.posts import render_post
from villagepump.runtime import Runtime

EPHEMERAL_POST_TYPE = "system_ephemeral"


async def publish_ephemeral(
    rt: Runtime,
    user_id: str,
    channel_id: str,
    root_id: str,
    message: str,
    props: dict[str, Any] | None = None,
) -> None:
    """Shows a message to one user alone, as a post that is never stored: the apps display
    `ephemeral_message` posts but not the text of the command's response."""
    now = now_ms()
    post = {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": False,
        "user_id": user_id,
        "channel_id": channel_id,
        "root_id": root_id,
        "original_id": "",
        "message": message,
        "type": EPHEMERAL_POST_TYPE,
        "props": props or {},
        "hashtags": "",
        "file_ids": [],
        "pending_post_id": "",
    }
    event = Event("ephemeral_message", {"post": json_field(render_post(post))}, Broadcast(user_id=user_id))
    await rt.bus.publish([event])
