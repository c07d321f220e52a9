"""Posts, post lists and reactions as Mattermost sends them."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from villagepump.integrations import interactive
from villagepump.previews.links import cache_key, find_links
from villagepump.previews.urls import FetchFailed
from villagepump.render.files import render_file_info
from villagepump.render.users import render_user
from villagepump.store import Row
from villagepump.store.posts import PostContext

# A posts row, or the values just inserted as one.
PostRow = Mapping[Any, Any]


def render_reaction(reaction: Row) -> dict[str, Any]:
    return {
        "user_id": reaction["user_id"],
        "post_id": reaction["post_id"],
        "emoji_name": reaction["emoji_name"],
        "create_at": reaction["create_at"],
        "update_at": reaction["create_at"],
        "delete_at": 0,
        "channel_id": reaction["channel_id"],
        "remote_id": "",
    }


def render_post(post: PostRow, context: PostContext | None = None) -> dict[str, Any]:
    context = context or PostContext()
    deleted = bool(post["delete_at"])
    root_id = post["root_id"] or post["id"]
    thread = context.threads.get(root_id)
    rendered: dict[str, Any] = {
        "id": post["id"],
        "create_at": post["create_at"],
        "update_at": post["update_at"],
        "edit_at": post["edit_at"],
        "delete_at": post["delete_at"],
        "is_pinned": post["is_pinned"],
        "user_id": post["user_id"],
        "channel_id": post["channel_id"],
        "root_id": post["root_id"],
        "original_id": post["original_id"],
        # A deleted post's words are gone for everyone, whatever a client kept.
        "message": "" if deleted else post["message"],
        "type": post["type"],
        # An action's integration (its URL and context) is the integration's secret.
        "props": {} if deleted else interactive.client_props(post["props"] or {}),
        "hashtags": "" if deleted else post["hashtags"],
        "pending_post_id": post["pending_post_id"],
        "reply_count": thread["reply_count"] if thread is not None else 0,
        "last_reply_at": thread["last_reply_at"] if thread is not None and not post["root_id"] else 0,
        "participants": None,
        "file_ids": [] if deleted else (post["file_ids"] or []),
        "metadata": _metadata(post, context),
    }
    if not post["root_id"]:
        if context.following is not None:
            rendered["is_following"] = post["id"] in context.following
        if context.users is not None and thread is not None:
            rendered["participants"] = [
                render_user(context.users[u], full=False)
                for u in thread["participants"] or []
                if u in context.users
            ]
    return rendered


def _metadata(post: PostRow, context: PostContext) -> dict[str, Any]:
    if post["delete_at"]:
        return {}
    metadata: dict[str, Any] = {}
    reactions = context.reactions.get(post["id"])
    if reactions:
        metadata["reactions"] = [render_reaction(r) for r in reactions]
    # The mobile app finds a post's attachments only here, not through file_ids.
    files = context.files.get(post["id"])
    if files:
        metadata["files"] = [render_file_info(f) for f in files]
    if context.previews:
        _add_previews(metadata, post["message"], context.previews)
    return metadata


def _add_previews(metadata: dict[str, Any], message: str, previews: Mapping[str, Row]) -> None:
    """metadata.embeds and metadata.images as Mattermost fills them: one embed, for the first
    link (opengraph with the page's data, image for a direct image link, link when the page had
    nothing to show), and the sizes of the images the post shows, by URL as written."""
    links = find_links(message)
    embeds: list[dict[str, Any]] = []
    images: dict[str, Any] = {}
    found = _cached(links.first_link, previews)
    if found is not None and found["kind"] == "opengraph":
        embeds.append({"type": "opengraph", "url": links.first_link, "data": found["data"]["opengraph"]})
        images.update(found["data"].get("images") or {})
    elif found is not None and found["kind"] == "image":
        embeds.append({"type": "image", "url": links.first_link})
        images[links.first_link] = found["data"]["image"]
    elif found is not None and found["kind"] == "none":
        embeds.append({"type": "link", "url": links.first_link})
    for url in links.images:
        image = _cached(url, previews)
        if image is not None and image["kind"] == "image":
            images[url] = image["data"]["image"]
    if embeds:
        metadata["embeds"] = embeds
    if images:
        metadata["images"] = images


def _cached(link: str, previews: Mapping[str, Row]) -> Row | None:
    if not link:
        return None
    try:
        return previews.get(cache_key(link))
    except FetchFailed:
        return None


def render_post_list(
    order: Sequence[PostRow],
    context: PostContext,
    *,
    extra: Iterable[PostRow] = (),
    prev_post_id: str = "",
    next_post_id: str = "",
    has_next: bool = False,
) -> dict[str, Any]:
    """`order` is newest first; `extra` posts (e.g. the roots of replies) are sent but not listed."""
    rendered = {post["id"]: render_post(post, context) for post in extra}
    rendered.update({post["id"]: render_post(post, context) for post in order})
    return {
        "order": [post["id"] for post in order],
        "posts": rendered,
        "next_post_id": next_post_id,
        "prev_post_id": prev_post_id,
        "has_next": has_next,
    }
