"""Channels and channel members as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_channel(channel: Row) -> dict[str, Any]:
    return {
        "id": channel["id"],
        "create_at": channel["create_at"],
        "update_at": channel["update_at"],
        "delete_at": channel["delete_at"],
        "team_id": channel["team_id"],
        "type": channel["type"],
        "display_name": channel["display_name"],
        "name": channel["name"],
        "header": channel["header"],
        "purpose": channel["purpose"],
        "last_post_at": channel["last_post_at"],
        "last_root_post_at": channel["last_root_post_at"],
        "total_msg_count": channel["total_msg_count"],
        "total_msg_count_root": channel["total_msg_count_root"],
        "extra_update_at": 0,
        "creator_id": channel["creator_id"],
        "scheme_id": None,
        "props": channel["props"] or None,
        "group_constrained": None,
        "shared": None,
        "policy_id": None,
    }


DEFAULT_CHANNEL_NOTIFY_PROPS = {
    "desktop": "default",
    "email": "default",
    "mark_unread": "all",
    "push": "default",
    "ignore_channel_mentions": "default",
    "channel_auto_follow_threads": "off",
}


def render_channel_member(member: Row) -> dict[str, Any]:
    return {
        "channel_id": member["channel_id"],
        "user_id": member["user_id"],
        "roles": member["roles"],
        "last_viewed_at": member["last_viewed_at"],
        "msg_count": member["msg_count"],
        "msg_count_root": member["msg_count_root"],
        "mention_count": member["mention_count"],
        "mention_count_root": member["mention_count_root"],
        "urgent_mention_count": member["urgent_mention_count"],
        "notify_props": {**DEFAULT_CHANNEL_NOTIFY_PROPS, **(member["notify_props"] or {})},
        "last_update_at": member["last_update_at"],
        "scheme_guest": False,
        "scheme_user": True,
        "scheme_admin": member["scheme_admin"],
        "explicit_roles": "",
    }
