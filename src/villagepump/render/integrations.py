"""Bots and webhooks as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_bot(bot: Row) -> dict[str, Any]:
    return {
        "user_id": bot["user_id"],
        "username": bot["username"],
        "display_name": bot["display_name"],
        "description": bot["description"],
        "owner_id": bot["owner_id"],
        "create_at": bot["create_at"],
        "update_at": bot["update_at"],
        "delete_at": bot["delete_at"],
    }


def render_incoming_hook(hook: Row) -> dict[str, Any]:
    return {
        "id": hook["id"],
        "create_at": hook["create_at"],
        "update_at": hook["update_at"],
        "delete_at": hook["delete_at"],
        "user_id": hook["user_id"],
        "channel_id": hook["channel_id"],
        "team_id": hook["team_id"],
        "display_name": hook["display_name"],
        "description": hook["description"],
        "username": hook["username"],
        "icon_url": hook["icon_url"],
        "channel_locked": hook["channel_locked"],
    }


def render_outgoing_hook(hook: Row) -> dict[str, Any]:
    return {
        "id": hook["id"],
        "token": hook["token"],
        "create_at": hook["create_at"],
        "update_at": hook["update_at"],
        "delete_at": hook["delete_at"],
        "creator_id": hook["creator_id"],
        "channel_id": hook["channel_id"],
        "team_id": hook["team_id"],
        "trigger_words": list(hook["trigger_words"] or []),
        "trigger_when": hook["trigger_when"],
        "callback_urls": list(hook["callback_urls"] or []),
        "display_name": hook["display_name"],
        "description": hook["description"],
        "content_type": hook["content_type"],
        "username": hook["username"],
        "icon_url": hook["icon_url"],
    }
