"""The link_preview outbox kind: a post's links fetched, cached and announced.

Payload: {"post_id": "...", "links": ["https://...", ...]}. What the remote sites answer (or
fail to) is stored as the outcome; only this server's own trouble (the database away) makes the
attempt fail and go again.
"""

from villagepump.actions import link_previews as preview_actions
from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.store import Row


async def deliver_link_preview(ctx: DeliveryContext, item: Row) -> None:
    if ctx.runtime is None:
        raise DeliveryError("link previews need the server's runtime", permanent=True)
    payload = item["payload"]
    links = [link for link in payload.get("links", []) if isinstance(link, str)]
    await preview_actions.preview_post_links(ctx.runtime, str(payload.get("post_id", "")), links)
