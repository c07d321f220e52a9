"""Messages for one user's eyes only, never stored: command answers, an integration's replies."""

from typing import Any

from villagepump.actions import posts as post_actions
from villagepump.events.types import Broadcast, Event, json_field
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
    post_id: str = "",
) -> None:
    """Shows a message to one user alone, as a post that is never stored: the apps display
    `ephemeral_message` posts but not the text of the command's response."""
    draft = post_actions.Draft(message, root_id=root_id, props=props or {}, post_type=EPHEMERAL_POST_TYPE)
    post = post_actions.new_post_values(user_id, channel_id, draft)
    # A given id replaces an ephemeral post the user was shown before (an integration's update).
    post["id"] = post_id or post["id"]
    event = Event("ephemeral_message", {"post": json_field(render_post(post))}, Broadcast(user_id=user_id))
    await rt.bus.publish([event])
